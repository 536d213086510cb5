"""Find layouts that break in a shown window: ``check_window(window) -> list[Finding]``.

Used by ``tests/app/test_layouts.py`` and ``make screenshots`` on every screen at every
size. It walks the window's visible widgets (as painted: each clipped to its ancestors)
and reports

- ``text``: a label, button or line-edit placeholder whose text does not fit its
  contents rect (one line: its width; word-wrapped: the height it needs at its width,
  and its longest word);
- ``narrow``: a word-wrapped label squeezed to a column of a few words a line;
- ``elided``: a label marked as eliding on purpose (``ELIDES`` property, as
  ``app.widgets.common.ElidedLabel`` sets) that shows less than its text, with no
  tooltip holding the whole text;
- ``cut``: a widget partly outside its parent (painted cut off), except content in a
  scroll area's viewport, which scrolls;
- ``overlap``: two visible sibling widgets whose painted rectangles overlap, except
  widgets marked as overlays (``OVERLAY`` property: floating banners, toasts);
- ``header``/``cell``: an item view's header title that does not fit its section, or a
  visible cell whose text is cut while the columns could all be wide enough.

Each finding names the widget by its class/objectName path and says what and by how
much, so a failure message says what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QWidget,
)

OVERLAY = "layoutOverlay"  # bool property: floats over the page on purpose (banner, toast)
ELIDES = "elidesText"  # bool property: a one-line label that shortens its text with "…"
NARROW_CHARS = 16  # a wrapped sentence narrower than this reads one word a line...
NARROW_LINES = 3  # ...once it takes more lines than a short heading may
SLACK = 1  # px a measure may be off by (rounding of fractional font metrics)


@dataclass(frozen=True)
class Finding:
    kind: str  # text, narrow, elided, cut, overlap, header, cell
    path: str  # Class#objectName/... from the window down
    text: str
    detail: str

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.kind}: {self.path} {shown!r}: {self.detail}"


def check_window(window: QWidget) -> list[Finding]:
    """Every finding in ``window`` (shown, laid out) and the dialogs it owns on screen."""
    findings: list[Finding] = []
    _walk(window, window, QRect(QPoint(0, 0), window.size()), findings)
    return findings


def widget_path(widget: QWidget, stop: QWidget | None = None) -> str:
    parts: list[str] = []
    current: QWidget | None = widget
    while current is not None and current is not stop:
        name = current.objectName()
        parts.append(f"{type(current).__name__}#{name}" if name else type(current).__name__)
        current = current.parentWidget()
    named = [p for p in parts if "#" in p]
    # the widget itself and its three nearest named ancestors say where it is
    keep = parts[:1] + [p for p in named if p != parts[0]][:3]
    return "/".join(reversed(keep))


def _visible_children(widget: QWidget) -> list[QWidget]:
    return [
        c
        for c in widget.children()
        if isinstance(c, QWidget) and not c.isWindow() and c.isVisible()
    ]


def _in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _scrolls(widget: QWidget) -> bool:
    """Whether ``widget`` is content of a scroll area (its viewport is its parent)."""
    parent = widget.parentWidget()
    area = parent.parentWidget() if parent is not None else None
    return isinstance(area, QAbstractScrollArea) and area.viewport() is parent


def _walk(widget: QWidget, window: QWidget, clip: QRect, out: list[Finding]) -> None:
    rect = _in_window(widget, window) & clip
    if rect.isEmpty():
        return  # scrolled out of sight or squeezed to nothing: nothing painted
    _check_text(widget, window, out)
    if isinstance(widget, QAbstractItemView):
        _check_view(widget, window, out)
    children = [c for c in _visible_children(widget) if not c.property(OVERLAY)]
    for child in children:
        if widget is not window and not _scrolls(child) and not _inside(child, widget):
            text = _text_of(child)
            out.append(
                Finding(
                    "cut",
                    widget_path(child, window),
                    text,
                    f"{_size(child)} at ({child.x()},{child.y()}) reaches out of its parent"
                    f" {widget_path(widget, window)} of {_size(widget)}",
                )
            )
    _check_siblings(children, widget, window, rect, out)
    for child in children:
        _walk(child, window, rect, out)


def _inside(child: QWidget, parent: QWidget) -> bool:
    g = child.geometry()
    return (
        g.left() >= -SLACK
        and g.top() >= -SLACK
        and g.right() <= parent.width() - 1 + SLACK
        and g.bottom() <= parent.height() - 1 + SLACK
    )


def _check_siblings(
    children: list[QWidget], parent: QWidget, window: QWidget, clip: QRect, out: list[Finding]
) -> None:
    if isinstance(parent, QAbstractScrollArea):
        return  # viewport, scroll bars and corner: the area places them itself
    rects = [(c, _in_window(c, window) & clip) for c in children]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            both = ra & rb
            if both.width() > SLACK + 1 and both.height() > SLACK + 1:
                out.append(
                    Finding(
                        "overlap",
                        widget_path(a, window),
                        _text_of(a),
                        f"{_size(a)} overlaps {widget_path(b, window)} {_text_of(b)!r}"
                        f" by {both.width()}x{both.height()} px",
                    )
                )


def _size(widget: QWidget) -> str:
    return f"{widget.width()}x{widget.height()}"


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text() or widget.placeholderText()
    return ""


# -- text ----------------------------------------------------------------------------


def _check_text(widget: QWidget, window: QWidget, out: list[Finding]) -> None:
    if isinstance(widget, QLabel):
        _check_label(widget, window, out)
    elif isinstance(widget, QPushButton):
        _check_push_button(widget, window, out)
    elif isinstance(widget, QAbstractButton) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > widget.width() + SLACK:
            out.append(
                Finding(
                    "text",
                    widget_path(widget, window),
                    widget.text(),
                    f"needs {hint.width()} px wide, has {widget.width()}",
                )
            )
    elif isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
        _check_placeholder(widget, window, out)


def _check_label(label: QLabel, window: QWidget, out: list[Finding]) -> None:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return
    path = widget_path(label, window)
    if label.property(ELIDES):
        needed = label.fontMetrics().horizontalAdvance(text)
        if needed > label.contentsRect().width() + SLACK and label.toolTip() != text:
            out.append(
                Finding(
                    "elided",
                    path,
                    text,
                    f"shows {label.contentsRect().width()} of {needed} px and its tooltip"
                    f" is {label.toolTip()!r}, not the whole text",
                )
            )
        return
    if label.wordWrap():
        needed_h = label.heightForWidth(label.width())
        if needed_h > label.height() + SLACK:
            out.append(
                Finding(
                    "text",
                    path,
                    text,
                    f"wrapped at {label.width()} px it needs {needed_h} px high,"
                    f" has {label.height()}",
                )
            )
        metrics = label.fontMetrics()
        narrow = NARROW_CHARS * metrics.averageCharWidth()
        lines = needed_h // max(1, metrics.lineSpacing())
        if label.width() < narrow and lines > NARROW_LINES:
            out.append(
                Finding(
                    "narrow",
                    path,
                    text,
                    f"wraps into {lines} lines at {label.width()} px,"
                    f" under {NARROW_CHARS} characters a line",
                )
            )
        longest = max((_advance(label, w) for w in _words(label)), default=0)
        room = label.contentsRect().width() - 2 * max(label.margin(), 0)
        if longest > room + SLACK:
            out.append(
                Finding("text", path, text, f"a word needs {longest} px, the label has {room}")
            )
        return
    hint = label.minimumSizeHint()
    if hint.width() > label.width() + SLACK or hint.height() > label.height() + SLACK:
        out.append(
            Finding(
                "text",
                path,
                text,
                f"needs {hint.width()}x{hint.height()} px, has {_size(label)}",
            )
        )


def _words(label: QLabel) -> list[str]:
    from PySide6 import QtGui
    from PySide6.QtGui import QTextDocument

    rich = label.textFormat() == Qt.TextFormat.RichText
    if (
        rich
        or label.textFormat() == Qt.TextFormat.AutoText
        and QtGui.Qt.mightBeRichText(label.text())
    ):
        doc = QTextDocument()
        doc.setHtml(label.text())
        return doc.toPlainText().replace("\u200b", " ").split()
    return label.text().replace("\u200b", " ").split()  # a zero-width space may break a line


def _advance(widget: QWidget, text: str) -> int:
    return widget.fontMetrics().horizontalAdvance(text)


def _check_push_button(button: QPushButton, window: QWidget, out: list[Finding]) -> None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return
    option = QStyleOptionButton()
    button.initStyleOption(option)
    style = button.style()
    contents = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    needed = max(_advance(button, line) for line in text.splitlines())
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if button.menu() is not None:
        needed += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    if needed > contents.width() + SLACK:
        out.append(
            Finding(
                "text",
                widget_path(button, window),
                text,
                f"text and icon need {needed} px, the button's contents have"
                f" {contents.width()} (button {_size(button)})",
            )
        )


def _check_placeholder(edit: QLineEdit, window: QWidget, out: list[Finding]) -> None:
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    for side in _visible_children(edit):  # action icons (search, clear) take their room
        g = side.geometry()
        if g.center().x() < room.center().x():
            room.setLeft(max(room.left(), g.right() + 1))
        else:
            room.setRight(min(room.right(), g.left() - 1))
    margins = edit.textMargins()
    width = room.width() - margins.left() - margins.right() - 4  # Qt's 2 px each side
    needed = _advance(edit, edit.placeholderText())
    if needed > width + SLACK:
        out.append(
            Finding(
                "text",
                widget_path(edit, window),
                edit.placeholderText(),
                f"placeholder needs {needed} px, the field shows {width}",
            )
        )


# -- item views ----------------------------------------------------------------------


def _check_view(view: QAbstractItemView, window: QWidget, out: list[Finding]) -> None:
    model = view.model()
    if model is None:
        return
    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    header_view = header() if callable(header) else None
    path = widget_path(view, window)
    columns = range(model.columnCount())
    if isinstance(header_view, QHeaderView) and header_view.isVisible():
        for column in columns:
            if header_view.isSectionHidden(column) or header_view.sectionSize(column) <= 0:
                continue
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            need = header_view.sectionSizeHint(column) if title else 0
            if need > header_view.sectionSize(column) + SLACK:
                out.append(
                    Finding(
                        "header",
                        path,
                        title,
                        f"column {column} is {header_view.sectionSize(column)} px,"
                        f" its title needs {need}",
                    )
                )
    _check_cells(view, path, out)


def _check_cells(view: QAbstractItemView, path: str, out: list[Finding]) -> None:
    model = view.model()
    viewport = view.viewport().rect()
    cut: list[tuple[QModelIndex, int, int]] = []
    wanted: dict[int, int] = {}
    for row in range(min(model.rowCount(), 200)):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            rect = view.visualRect(index)
            if rect.isEmpty() or not rect.intersects(viewport):
                continue
            need = view.sizeHintForIndex(index).width()
            wanted[column] = max(wanted.get(column, 0), need)
            if need > rect.width() + SLACK:
                cut.append((index, need, rect.width()))
    if not cut:
        return
    could_fit = sum(wanted.values()) <= viewport.width()
    for index, need, has in cut:
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        text = model.data(index) or model.data(index, Qt.ItemDataRole.AccessibleTextRole) or ""
        if could_fit or not tip:
            why = "the columns could all be that wide" if could_fit else "and no tooltip"
            out.append(
                Finding(
                    "cell",
                    path,
                    str(text),
                    f"row {index.row()} column {index.column()} is {has} px, needs {need}; {why}",
                )
            )
