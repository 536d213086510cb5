"""The layout check finds text that does not fit and widgets over each other, and leaves
alone what is meant that way: an overlay, an elided label with its tooltip, content
scrolled out of a scroll area."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.widgets.common import ElidedLabel
from tools.layout_check import OVERLAY, check_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SENTENCE = "A sentence far too long for the room it was given on this screen"


def shown(qtbot: Any, window: QWidget, width: int = 400, height: int = 300) -> QWidget:
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_label_cut_short_is_found_with_its_text_and_sizes(qtbot: Any) -> None:
    window = QWidget()
    label = QLabel(SENTENCE, window)
    label.setObjectName("Squeezed")
    label.setGeometry(10, 10, 120, 24)
    (finding,) = check_window(shown(qtbot, window))
    assert finding.kind == "text"
    assert "QLabel#Squeezed" in finding.path
    assert finding.text == SENTENCE
    assert "has 120x24" in finding.detail


def test_a_wrapped_label_too_short_for_its_lines_is_found(qtbot: Any) -> None:
    window = QWidget()
    label = QLabel(SENTENCE, window)
    label.setWordWrap(True)
    label.setGeometry(10, 10, 200, 20)
    kinds = {f.kind for f in check_window(shown(qtbot, window))}
    assert kinds == {"text"}


def test_overlapping_buttons_are_found_but_an_overlay_is_not(qtbot: Any) -> None:
    window = QWidget()
    first, second = QPushButton("One", window), QPushButton("Two", window)
    first.setGeometry(10, 10, 120, 44)
    second.setGeometry(60, 20, 120, 44)
    shown(qtbot, window)
    (finding,) = check_window(window)
    assert finding.kind == "overlap"
    both = first.geometry() & second.geometry()  # as the theme sizes them
    assert f"overlaps QPushButton 'Two' by {both.width()}x{both.height()} px" in finding.detail
    second.setProperty(OVERLAY, True)
    assert check_window(window) == []


def test_an_elided_label_passes_with_its_text_as_tooltip(qtbot: Any) -> None:
    window = QWidget()
    row = QHBoxLayout(window)
    label = ElidedLabel(SENTENCE)
    row.addWidget(label)
    shown(qtbot, window, 200, 60)
    assert check_window(window) == []
    label.setToolTip("")
    (finding,) = check_window(window)
    assert finding.kind == "elided"


def test_content_scrolled_out_of_sight_is_not_an_overlap_or_a_cut(qtbot: Any) -> None:
    window = QWidget()
    area = QScrollArea()
    content = QWidget()
    column = QVBoxLayout(content)
    for i in range(30):
        column.addWidget(QPushButton(f"Row {i}"))
    area.setWidget(content)
    QVBoxLayout(window).addWidget(area)
    assert check_window(shown(qtbot, window)) == []
