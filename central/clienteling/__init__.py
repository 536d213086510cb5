"""Clienteling that central computes on its own (rules, co-purchases)."""
