"""Reference implementation of the Clienteling central services (v1 API)."""

__version__ = "0.1.0"
