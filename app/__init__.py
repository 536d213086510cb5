"""The Clienteling desktop app (PySide6 Widgets on a qasync loop)."""
