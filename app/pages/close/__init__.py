"""The manager's close-of-day page (``page``) and its checklist rows (``checklist``)."""
