"""The screens of the associate app."""
