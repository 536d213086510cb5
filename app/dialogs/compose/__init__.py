"""The compose dialog's parts: what it knows before sending, product cards, attachments."""
