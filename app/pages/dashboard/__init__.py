"""The manager's store dashboard: the period, the figures as tiles with small charts, the
leak lists behind them, the chain comparison, and CSV export (``page``)."""
