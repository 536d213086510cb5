"""Offline-first sync for Clienteling: local cache, outbox, central client, engine.

Nothing in this package imports Qt.
"""
