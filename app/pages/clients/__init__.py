"""The Clients page: the client book (mine, the store's, all shoppers) and the outreach
lists (who to reach out to today, and why)."""
