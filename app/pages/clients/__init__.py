"""Clients: the Clients page (:mod:`app.pages.clients.page`) hosting the client book
(:mod:`app.pages.clients.book_view`: mine, the store's, all shoppers) and the outreach
lists (who to reach out to today, and why: :mod:`app.pages.clients.outreach_view`)."""
