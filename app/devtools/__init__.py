"""Helpers for developer tools (the screenshot scripts) and the tests; never used by the
running app."""
