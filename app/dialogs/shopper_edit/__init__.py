"""The sections of the shopper edit dialog (``app.dialogs.shopper_edit_dialog``)."""
