"""The dashboard's QPainter charts: each paints what it is given (the tallest bar is the
period's most, an empty day stays empty, the first part of a breakdown is the largest),
and a paint takes a few milliseconds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtGui import QColor, QImage

from app.pages.dashboard.charts import Breakdown, DayBars, Sparkline
from app.pages.dashboard.values import formatter, value_text
from app.widgets.painting import colour

DAY = date(2026, 11, 20)


def _image(widget: Any) -> QImage:
    return widget.grab().toImage()


def _column_has(image: QImage, x: int, wanted: QColor) -> bool:
    return any(image.pixelColor(x, y) == wanted for y in range(image.height()))


def test_day_bars_draw_a_bar_for_each_day_with_something(qtbot: Any) -> None:
    chart = DayBars()
    qtbot.addWidget(chart)
    chart.resize(300, 64)
    chart.set_series([(DAY + timedelta(days=i), v) for i, v in enumerate([3, 0, 6])])
    chart.show()
    qtbot.waitExposed(chart)
    image = _image(chart)
    pine = colour("primary")
    step = 298 / 3
    assert _column_has(image, int(1 + step * 0.5), pine)  # day 1: 3
    assert not _column_has(image, int(1 + step * 1.5), pine)  # day 2: nothing
    tall = [y for y in range(image.height()) if image.pixelColor(int(1 + step * 2.5), y) == pine]
    short = [y for y in range(image.height()) if image.pixelColor(int(1 + step * 0.5), y) == pine]
    assert len(tall) > 1.8 * len(short)  # 6 is twice 3
    assert chart.accessibleDescription() == "3 days, most 6"
    assert 0 < chart.last_paint_ms < 50


def test_breakdown_puts_the_largest_first_and_sums_the_rest(qtbot: Any) -> None:
    chart = Breakdown()
    qtbot.addWidget(chart)
    chart.format = formatter("cents")
    chart.set_parts([("Aoife", 1000), ("Kiosk", 50), ("Brian", 4000), ("Ciara", 20), ("Dan", 30)])
    assert [name for name, _v in chart.parts] == ["Brian", "Aoife", "Kiosk", "Other"]
    assert chart.parts[-1][1] == 50  # Ciara and Dan
    assert chart.accessibleDescription().startswith("Brian €40.00, Aoife €10.00")
    chart.resize(320, chart.height())
    chart.show()
    qtbot.waitExposed(chart)
    _image(chart)
    assert 0 < chart.last_paint_ms < 50


def test_sparkline_paints_a_line_and_values_read_by_unit(qtbot: Any) -> None:
    chart = Sparkline()
    qtbot.addWidget(chart)
    chart.format = formatter("percent")
    chart.set_series([(DAY + timedelta(days=i), v) for i, v in enumerate([20.0, 35.0, 50.0])])
    chart.resize(240, 48)
    chart.show()
    qtbot.waitExposed(chart)
    image = _image(chart)
    assert any(_column_has(image, x, colour("primary")) for x in range(5, 235, 10))
    assert chart.accessibleDescription() == "3 days, last 50%"
    assert value_text(1204, "count") == "1,204"
    assert value_text(120450, "cents") == "€1,204.50"
    assert value_text(42.4, "percent") == "42%"
    assert value_text(4.25, "percent") == "4.2%"
