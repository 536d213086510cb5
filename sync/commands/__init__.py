"""The commands a device sends to central, one module each (``registry`` lists them)."""
