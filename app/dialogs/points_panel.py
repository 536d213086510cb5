""" "Use points" in the order dialog: the shopper's balance and what it is worth, the most
they may use on this order (the policy's share of the total, ``sync.rules.loyalty``), and
a stepper for how many; off until the associate switches it on.

``PointsPanel.show_points(view, toward_cents)`` with the shopper's ``PointsView`` (None:
no shopper yet, or no policy on the tablet) and the order's total; ``points()`` is what
to redeem (0: none). The total after points is the dialog's to show.

Signals: ``changed(int)`` with the points in use (0 when off).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app import format as fmt
from app.widgets.common import TouchButton, label
from sync.records import PointsView
from sync.rules import loyalty

STEP = 100  # points per tap of − / +


class PointsPanel(QWidget):
    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PointsPanel")
        self.view: PointsView | None = None
        self.most = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.balance = label("", "muted")
        self.balance.setObjectName("PointsBalance")
        self.balance.setWordWrap(True)
        column.addWidget(self.balance)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.use = TouchButton(self.tr("Use points"), "segment")
        self.use.setObjectName("UsePoints")
        self.use.toggled.connect(self._on_use)
        row.addWidget(self.use)
        self.minus = TouchButton("−", "secondary")
        self.minus.setObjectName("PointsMinus")
        self.minus.setFixedWidth(56)
        self.minus.setAccessibleName(self.tr("{n} points fewer").format(n=STEP))
        self.edit = QLineEdit()
        self.edit.setObjectName("PointsEdit")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setFixedWidth(120)
        self.edit.setMinimumHeight(48)
        self.edit.setValidator(QIntValidator(0, 10_000_000, self.edit))
        self.edit.setAccessibleName(self.tr("Points to use"))
        self.plus = TouchButton("+", "secondary")
        self.plus.setObjectName("PointsPlus")
        self.plus.setFixedWidth(56)
        self.plus.setAccessibleName(self.tr("{n} points more").format(n=STEP))
        for widget in (self.minus, self.edit, self.plus):
            row.addWidget(widget)
        self.worth = label("", "h2")
        self.worth.setObjectName("PointsWorth")
        row.addWidget(self.worth)
        row.addStretch(1)
        column.addLayout(row)
        self.minus.clicked.connect(lambda: self._step(-STEP))
        self.plus.clicked.connect(lambda: self._step(STEP))
        self.edit.textChanged.connect(lambda _t: self._changed())
        self._enable()

    # -- what is shown -----------------------------------------------------------------
    def show_points(self, view: PointsView | None, toward_cents: int) -> None:
        """The shopper's points against an order of ``toward_cents``."""
        self.view = view
        if view is None:
            self.most = 0
            self.balance.setText(self.tr("Choose the shopper to see their points."))
            self.use.setChecked(False)
            self._enable()
            return
        self.most = loyalty.max_points(view, view.balance, toward_cents)
        have = self.tr("{points} points, worth {worth}").format(
            points=f"{view.balance:,}", worth=fmt.money(view.worth_cents)
        )
        if view.balance < view.min_redeem_points:
            say = self.tr("{have}. Points are used {least} or more at a time.").format(
                have=have, least=f"{view.min_redeem_points:,}"
            )
        elif self.most < view.min_redeem_points:
            say = self.tr("{have}. This order is too small to use {least} points on.").format(
                have=have, least=f"{view.min_redeem_points:,}"
            )
        else:
            say = self.tr("{have}. Up to {most} points ({worth}) on this order.").format(
                have=have,
                most=f"{self.most:,}",
                worth=fmt.money(loyalty.value_cents(view, self.most)),
            )
        self.balance.setText(say)
        if not self.usable():
            self.use.setChecked(False)
        elif self.use.isChecked() and self._typed() > self.most:
            self._set(self.most)
        self._enable()
        self._changed()

    def usable(self) -> bool:
        view = self.view
        return view is not None and self.most >= view.min_redeem_points

    def points(self) -> int:
        """The points to redeem (0: not using points)."""
        return self._typed() if self.use.isChecked() else 0

    def value_cents(self) -> int:
        view = self.view
        return loyalty.value_cents(view, self.points()) if view is not None else 0

    # -- reacting ----------------------------------------------------------------------
    def _typed(self) -> int:
        try:
            return int(self.edit.text().replace(",", ""))
        except ValueError:
            return 0

    def _set(self, value: int) -> None:
        self.edit.setText(str(max(0, value)))

    def _step(self, delta: int) -> None:
        view = self.view
        if view is None:
            return
        value = self._typed() + delta
        self._set(max(view.min_redeem_points, min(self.most, value)))

    def _on_use(self, on: bool) -> None:
        if on and self.view is not None and not self._typed():
            self._set(self.most)
        self._enable()
        self._changed()

    def _enable(self) -> None:
        usable = self.usable()
        self.use.setEnabled(usable)
        on = usable and self.use.isChecked()
        for widget in (self.minus, self.edit, self.plus, self.worth):
            widget.setVisible(on)
        if on and self.view is not None:
            value = self._typed()
            self.minus.setEnabled(value > self.view.min_redeem_points)
            self.plus.setEnabled(value < self.most)

    def _changed(self) -> None:
        self._enable()
        self.worth.setText(
            self.tr("− {worth}").format(worth=fmt.money(self.value_cents()))
            if self.points()
            else ""
        )
        self.changed.emit(self.points())
