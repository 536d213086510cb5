"""Render the app's screens with demo data to PNG (``make screenshots``):
``python -m tools.screenshots.associate OUTDIR`` and ``python -m tools.screenshots.kiosk OUTDIR``."""
