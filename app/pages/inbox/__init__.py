"""Everything an associate must do, on the tablet: the inbox page (the floor's calls and
the follow-ups), the header badge, the toast, and what they share (actions, filters,
quick times)."""
