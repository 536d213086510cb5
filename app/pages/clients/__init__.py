"""Clients: the client book (:mod:`app.pages.clients.book_view`) and the lists of who to
reach out to, hosted by the Clients page."""
