"""Return some lines of an order of any channel, refund them or exchange them.

``ReturnDialog(ctx, order, parent)`` with ``order`` a ``wire.Order`` from the cache
(``Cache.order_by_number``). It shows the order (number, channel, date) and its return
window (``Cache.return_window``: the sentence says until when, or that it closed), the
lines (``Cache.returnable_lines``: a stepper up to what is left, a reason and a condition
each; a line with nothing left or that the policy bars is greyed with why), how the
refund is paid (the wire's ``REFUND_METHODS``), an exchange for another size or colour
(``ExchangePanel``) and, for a manager when the window closed or an item is barred, the
override with its reason. The refund (or the exchange's difference) is shown live beside
the buttons.

"Return items" writes ``return_items`` through ``ctx.commands`` at once: problems show at
their field (a line's under that line) and nothing is written. Then the dialog shows the
receipt (``ReceiptPanel``): pending until central applies it, then with its number; print
it or save it as a PDF, and show its QR code.

Signals: ``returned(str)`` with the new return's id.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app import format as fmt
from app.dialogs.ask_manager_dialog import AskManagerDialog
from app.dialogs.base import CommandDialog, Segments
from app.dialogs.returns.exchange_panel import ExchangePanel, difference_words
from app.dialogs.returns.line_rows import LineRow
from app.dialogs.returns.receipt_panel import ReceiptPanel
from app.widgets.common import TouchButton, label
from sync import wire
from sync.records import OutboxEntry
from sync.rules import roles
from sync.rules.returns import order_refusal

if TYPE_CHECKING:
    from app.context import AppContext

LINE_KEY = re.compile(r"^items\.(\d+)(?:\.|$)")


class ReturnDialog(CommandDialog):
    returned = Signal(str)

    ALIASES = {
        "exchange.sku": "exchange",
        "exchange.kind": "exchange",
        "exchange.qty": "exchange",
        "exchange.fulfilment": "exchange",
        "exchange.address": "exchange",
        "kind": "exchange",
        "fulfilment": "exchange",
        "address": "exchange",
        "override": "override_reason",
    }

    def __init__(self, ctx: AppContext, order: wire.Order, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Return from order {number}").format(number=order.number), parent)
        self.setObjectName("ReturnDialog")
        self.ctx = ctx
        self.order = order
        self.entry: OutboxEntry | None = None
        self.return_id: str | None = None
        self.receipt_panel: ReceiptPanel | None = None
        self._listening = False
        self.resize(900, 760)
        self.confirm_button.setText(self.tr("Return items"))
        self.confirm_button.clicked.connect(self.submit)

        self.window_info = ctx.messages.read(lambda: ctx.cache.return_window(order.id))
        lines = ctx.messages.read(lambda: ctx.cache.returnable_lines(order.id)) or []

        self.meta = label(self._meta_text(), "muted")
        self.meta.setObjectName("ReturnOrderMeta")
        self.meta.setWordWrap(True)
        self.form.addWidget(self.meta)
        self.window_line = label("", None)
        self.window_line.setObjectName("ReturnWindowSentence")
        self.window_line.setWordWrap(True)
        self.form.addWidget(self.window_line)

        holder = QWidget()
        holder.setObjectName("ReturnLines")
        rows = QVBoxLayout(holder)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(8)
        self.rows: list[LineRow] = []
        for line in lines:
            row = LineRow(line, ctx.images)
            row.changed.connect(self._on_lines)
            rows.addWidget(row)
            self.rows.append(row)
        self.add_field("items", self.tr("What comes back"), holder)

        self._build_override()

        self.method = Segments(
            [(key, self.tr(text)) for key, text in wire.REFUND_METHODS.items()], "original"
        )
        self.method.setObjectName("RefundMethod")
        self.method.changed.connect(self._on_method)
        self.add_field("refund_method", self.tr("Refund"), self.method)

        self.exchange = ExchangePanel(ctx)
        self.exchange.changed.connect(self._update_total)
        self.exchange.changed.connect(lambda: self.clear_error("exchange"))
        self.add_field("exchange", self.tr("Exchange for"), self.exchange)
        self.form.addStretch(1)

        self.total = label("", "title")
        self.total.setObjectName("ReturnTotal")
        self.total.setWordWrap(True)
        self.buttons.insertWidget(0, self.total, 1)

        self._show_window()
        self._on_method(self.method.value() or "original")
        self._on_lines()

    # -- building ----------------------------------------------------------------------
    def _meta_text(self) -> str:
        order = self.order
        where = fmt.channel(order.channel)
        return self.tr("{where} order · placed {date} · total {total}").format(
            where=where, date=fmt.date_short(order.created_at), total=fmt.money(order.total_cents)
        )

    def is_manager(self) -> bool:
        return self.ctx.session is not None and roles.is_manager(self.ctx.session.role)

    def _build_override(self) -> None:
        """The manager's override: a toggle and its reason, shown only when something needs
        it (the window closed but may still be overridden, or an item the policy bars). An
        associate sees "Ask a manager" instead: a manager approves with their staff id and
        PIN on this tablet (``AskManagerDialog``), and the return carries ``approved_by``."""
        self.approved_by: tuple[str, str] | None = None
        box = QWidget()
        box.setObjectName("OverrideBox")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.override_toggle = TouchButton(self.tr("Accept it as a manager"), "segment")
        self.override_toggle.setObjectName("OverrideToggle")
        self.override_toggle.toggled.connect(self._on_override)
        row = QHBoxLayout()
        row.addWidget(self.override_toggle)
        self.ask_manager = TouchButton(self.tr("Ask a manager"), "secondary")
        self.ask_manager.setObjectName("AskManagerButton")
        self.ask_manager.setToolTip(roles.reason("return_override"))
        self.ask_manager.clicked.connect(self._ask_manager)
        row.addWidget(self.ask_manager)
        row.addStretch(1)
        column.addLayout(row)
        self.override_reason = QLineEdit()
        self.override_reason.setObjectName("OverrideReason")
        self.override_reason.setPlaceholderText(self.tr("Why you accept it (kept with the return)"))
        self.override_reason.setMinimumHeight(48)
        self.override_reason.setMaxLength(300)
        self.override_reason.textChanged.connect(lambda _t: self.clear_error("override_reason"))
        column.addWidget(self.override_reason)
        self.override_box = box
        self.add_field("override_reason", self.tr("Manager's override"), box)
        window = self.window_info
        needed = any(row.line.barred and row.line.left > 0 for row in self.rows) or (
            window is not None and not window.inside and window.override_possible
        )
        self._set_field_visible("override_reason", needed)
        self.override_toggle.setVisible(self.is_manager())
        self.ask_manager.setVisible(not self.is_manager())
        self.override_reason.setEnabled(False)

    def _ask_manager(self) -> None:
        dialog = AskManagerDialog(self.ctx, roles.ACTIONS["return_override"], self)
        dialog.approved.connect(self._approved)
        dialog.open()
        self.asking = dialog  # tests and screenshots reach it

    def _approved(self, staff_id: str, name: str) -> None:
        """A manager approved on this tablet: the override is theirs, the reason still needed."""
        self.approved_by = (staff_id, name)
        self.ask_manager.hide()
        self.override_toggle.setText(self.tr("Accepted by {name}").format(name=name))
        self.override_toggle.show()
        self.override_toggle.setChecked(True)
        self.override_reason.setFocus()

    def _set_field_visible(self, name: str, visible: bool) -> None:
        widget, _error = self._fields[name]
        widget.setVisible(visible)
        for child in ("Caption", "Hint"):
            caption = self.body.findChild(QLabel, f"{child}_{name}")
            if caption is not None:
                caption.setVisible(visible and (child == "Caption" or bool(caption.text())))
        if not visible:
            self.clear_error(name)

    def _show_window(self) -> None:
        """The window's sentence; for an order that cannot come back at all (cancelled,
        not paid or collected yet), the rule's sentence instead, and nothing to confirm."""
        window = self.window_info
        refusal = order_refusal(self.order)
        if refusal is not None:
            self.window_line.setText(refusal.message)
            self.window_line.setProperty("role", "error")
            self.confirm_button.setEnabled(False)
        elif window is None:
            self.window_line.hide()
            return
        else:
            self.window_line.setText(window.sentence)
            self.window_line.setProperty("role", None if window.inside else "error")
        self.window_line.style().unpolish(self.window_line)
        self.window_line.style().polish(self.window_line)

    # -- reacting ----------------------------------------------------------------------
    def override(self) -> bool:
        return self.override_box.isVisibleTo(self) and self.override_toggle.isChecked()

    def _on_override(self, on: bool) -> None:
        self.override_reason.setEnabled(on)
        for row in self.rows:
            row.set_override(on)
        self.clear_error("override_reason")
        self._on_lines()

    def _on_method(self, key: str) -> None:
        self.clear_error("refund_method")
        self._set_field_visible("exchange", key == "exchange")
        self._on_lines()

    def _chosen_rows(self) -> list[LineRow]:
        return [row for row in self.rows if row.qty_value() > 0]

    def _on_lines(self) -> None:
        self.clear_error("items")
        chosen = self._chosen_rows()
        if self.method.value() == "exchange":
            first = chosen[0] if chosen else None
            self.exchange.show_for(
                self.order.id, first.line if first else None, first.qty_value() if first else 1
            )
        self._update_total()

    def refund_cents(self) -> int:
        return sum(row.refund_cents() for row in self.rows)

    def _update_total(self) -> None:
        refund = self.refund_cents()
        self.exchange.set_refund(refund)
        if self.method.value() == "exchange":
            cents = self.exchange.difference_cents()
            text = (
                difference_words(cents)
                if cents is not None
                else self.tr("Refund {total}").format(total=fmt.money(refund))
            )
        else:
            text = self.tr("Refund {total}").format(total=fmt.money(refund))
        self.total.setText(text)

    # -- problems ----------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        """A line's problem under that line (``items.N...``: the Nth line returned), the
        rest at their fields."""
        for row in self.rows:
            row.clear_error()
        chosen = self._chosen_rows()
        rest: dict[str, str] = {}
        at_rows: list[tuple[LineRow, str]] = []
        for key, sentence in errors.items():
            match = LINE_KEY.match(key)
            if match and int(match.group(1)) < len(chosen):
                at_rows.append((chosen[int(match.group(1))], sentence))
            else:
                rest[key] = sentence
        super().show_errors(rest)
        for row, sentence in at_rows:
            row.show_error(sentence)
        if at_rows and not rest:
            self.scroll_area.ensureWidgetVisible(at_rows[0][0])

    def line_error(self, sku: str) -> str:
        """The problem shown under the line of ``sku`` ("" when none)."""
        for row in self.rows:
            if row.line.sku == sku:
                return row.error_text()
        return ""

    def row_of(self, sku: str) -> LineRow | None:
        return next((row for row in self.rows if row.line.sku == sku), None)

    # -- writing -----------------------------------------------------------------------
    def _own_checks(self) -> dict[str, str]:
        """What a person must choose before anything is sent to the command's checks."""
        errors: dict[str, str] = {}
        chosen = self._chosen_rows()
        if not chosen:
            errors["items"] = self.tr("Choose how many of an item come back.")
        for i, row in enumerate(chosen):
            if row.reason.currentData() is None:
                errors[f"items.{i}.reason"] = self.tr("Choose why it came back.")
            elif row.condition.currentData() is None:
                errors[f"items.{i}.condition"] = self.tr("Choose the item's condition.")
        method = self.method.value() or "original"
        if method == "exchange" and self.exchange.swap() is None:
            errors["exchange"] = self.tr("Choose the size or colour they take instead.")
        if self.override() and not self.override_reason.text().strip():
            errors["override_reason"] = self.tr("Say why you accept it.")
        return errors

    def submit(self) -> None:
        errors = self._own_checks()
        if errors:
            self.show_errors(errors)
            return
        items = [item for row in self._chosen_rows() if (item := row.item()) is not None]
        method = self.method.value() or "original"
        override = self.override()
        entry = self.write(
            lambda: self.ctx.commands.return_items(
                order_id=self.order.id,
                items=items,
                refund_method=method,
                exchange=self.exchange.swap() if method == "exchange" else None,
                override=override,
                override_reason=self.override_reason.text().strip() if override else None,
                approved_by=self.approved_by[0] if override and self.approved_by else None,
            )
        )
        if entry is None:
            return
        self.entry = entry
        self.return_id = str(entry.args["return_id"])
        self.returned.emit(self.return_id)
        self._show_receipt(entry)

    def _show_receipt(self, entry: OutboxEntry) -> None:
        assert self.return_id is not None
        self.clear_errors()
        self.scroll_area.hide()
        self.total.hide()
        self.cancel_button.hide()
        self.title.setText(self.tr("Return from order {number}").format(number=self.order.number))
        panel = ReceiptPanel(self.ctx, self.return_id, entry.id)
        self.receipt_panel = panel
        self.outer.insertWidget(2, panel)
        self.confirm_button.setText(self.tr("Done"))
        self.confirm_button.clicked.disconnect()
        self.confirm_button.clicked.connect(self.accept)
        self.ctx.bridge.dataChanged.connect(self._refresh_receipt)
        self._listening = True
        self.finished.connect(lambda _r: self._disconnect())
        self._refresh_receipt()
        self.ctx.messages.success(
            self.tr("Return saved. It shows as pending until central confirms it."),
            log_text="return queued",
        )

    def _refresh_receipt(self, *_args: Any) -> None:
        if self.receipt_panel is not None:
            self.receipt_panel.refresh()
            self.fit_to_content()  # the receipt is much shorter than the form

    def _disconnect(self) -> None:
        if self._listening:
            self._listening = False
            self.ctx.bridge.dataChanged.disconnect(self._refresh_receipt)
