"""Export of a table behind a dashboard figure as CSV (``to_csv``).

RFC 4180: comma-separated, fields quoted when needed, CRLF line ends, a header row. A
cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is prefixed with ``'`` so opening the file runs nothing
(OWASP's CSV injection advice); numbers stay numbers. The table holds only what the
screen shows (names, no contact details).
"""

from __future__ import annotations

import csv
import io

from sync.read.kpi_types import KpiTable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One cell as text, made safe for a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: KpiTable) -> str:
    """The table as CSV text (header row first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()
