"""Central's storage: one interface (``base.CentralDB``), SQLite and PostgreSQL behind it.

``central.db`` is the facade the rest of central imports.
"""
