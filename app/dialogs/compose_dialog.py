"""Write to a shopper: ``open_compose(ctx, parent, *, shopper_id, ...)``, from the profile,
a list row or a follow-up.

The channel (Email, SMS, WhatsApp): a channel the shopper cannot be reached on (no
address, no consent, unsubscribed) is greyed out and the field says why, by the same rule
central applies (``sync.rules.messaging.refusal`` under the synced policy); quiet hours and
the marketing cap are said at the field too. The kind (marketing or service), a template
of the retailer's for that channel (filled with the shopper's first name, the signed-in
associate and the store; editable), the subject (email) and the text. Attachments:
product cards chosen from what the caller passed (a back-in-stock row's SKUs), the
shopper's cart, wishlist and recommendations; their cart to finish online; the chosen
products as a look with a title; an order's pay link.

"Send" writes ``send_message`` through ``ctx.commands`` (offline too: it waits in the
outbox) and closes with a banner; the timeline shows it pending at once. Problems show at
their field (``InvalidInput``) and nothing is written. From a follow-up (``task_id``),
"Mark the follow-up done" (on by default) also sends ``update_task``.

The dialog opens with ``open()`` (window-modal) and deletes itself when closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.dialogs.base import CommandDialog, Segments
from app.dialogs.compose.attach import AttachBox
from app.dialogs.compose.reach import Reach, template_for
from app.widgets.common import TouchButton, label
from sync import wire
from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.records import OutboxEntry

FIELD_HEIGHT = 52
WIDTH, HEIGHT = 940, 720  # the most a 1024x768 window holds with a margin
CHANNEL_NAMES = {"email": "Email", "sms": "SMS", "whatsapp": "WhatsApp"}


def open_compose(
    ctx: AppContext,
    parent: QWidget | None,
    *,
    shopper_id: str,
    reason: str = "",
    skus: tuple[str, ...] | list[str] = (),
    share_cart: bool = False,
    pay_order_id: str | None = None,
    task_id: str | None = None,
) -> ComposeDialog | None:
    """Open the compose dialog for ``shopper_id`` and return at once (None: the shopper is
    not on this tablet; a banner says so)."""
    reach = Reach.load(ctx, shopper_id)
    if reach is None:
        ctx.messages.error(
            QCoreApplication.translate(
                "ComposeDialog", "This shopper isn't on this tablet; open their profile first."
            )
        )
        return None
    dialog = ComposeDialog(
        ctx,
        reach,
        parent,
        reason=reason,
        skus=tuple(skus),
        share_cart=share_cart,
        pay_order_id=pay_order_id,
        task_id=task_id,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ComposeDialog(CommandDialog):
    ALIASES = {"template_id": "template"}

    def __init__(
        self,
        ctx: AppContext,
        reach: Reach,
        parent: QWidget | None = None,
        *,
        reason: str = "",
        skus: tuple[str, ...] = (),
        share_cart: bool = False,
        pay_order_id: str | None = None,
        task_id: str | None = None,
    ) -> None:
        s = reach.shopper
        super().__init__(
            self.tr("Message to {name}").format(name=f"{s.first_name} {s.last_name}"), parent
        )
        self.setObjectName("ComposeDialog")
        self.ctx = ctx
        self.reach = reach
        self.task_id = task_id
        self.entry: OutboxEntry | None = None
        self._fit(parent)
        self.confirm_button.setText(self.tr("Send"))
        self.confirm_button.clicked.connect(self.submit)

        self.reason = label(reason, "muted")
        self.reason.setObjectName("ComposeReason")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.form.addWidget(self.reason)

        top = QHBoxLayout()
        top.setSpacing(24)
        self.channel = Segments([(c, self.tr(n)) for c, n in CHANNEL_NAMES.items()])
        self.channel.setObjectName("ChannelSegments")
        self.channel_hint = self.add_field("channel", self.tr("Send by"), self.channel, " ", top)
        self.purpose = Segments(
            [("marketing", self.tr("Marketing")), ("service", self.tr("Service"))]
        )
        self.purpose.setObjectName("PurposeSegments")
        self.add_field("purpose", self.tr("Kind"), self.purpose, "", top)
        self.form.addLayout(top)

        texts = QHBoxLayout()
        texts.setSpacing(24)
        self.template = QComboBox()
        self.template.setObjectName("TemplatePicker")
        self.template.setMinimumHeight(FIELD_HEIGHT)
        self.template.setAccessibleName(self.tr("Template"))
        self.add_field("template", self.tr("Template"), self.template, "", texts)

        self.subject = QLineEdit()
        self.subject.setObjectName("ComposeSubject")
        self.subject.setMinimumHeight(FIELD_HEIGHT)
        self.subject.setPlaceholderText(self.tr("Subject"))
        self.subject.textChanged.connect(lambda: self.clear_error("subject"))
        self.add_field("subject", self.tr("Subject"), self.subject, "", texts)
        texts.setStretch(0, 2)
        texts.setStretch(1, 3)
        self.form.addLayout(texts)
        caption = self.body.findChild(QLabel, "Caption_subject")
        assert caption is not None
        self.subject_caption: QLabel = caption

        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("ComposeBody")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setMinimumHeight(112)
        self.body_edit.setPlaceholderText(self.tr("Write the message, or choose a template."))
        self.body_edit.setAccessibleName(self.tr("Message"))
        self.body_edit.textChanged.connect(lambda: self.clear_error("body"))
        self.add_field("body", self.tr("Message"), self.body_edit)

        self.attach = AttachBox(ctx, reach, skus=skus, share_cart=share_cart, pay=pay_order_id)
        self.attach.changed.connect(lambda: self.clear_error("attachments"))
        self.add_field("attachments", self.tr("Attach"), self.attach)

        self.done_task = TouchButton(self.tr("Mark the follow-up done"), "segment", "check")
        self.done_task.setObjectName("ComposeTaskDone")
        self.done_task.setChecked(True)
        self.done_task.setVisible(task_id is not None)
        self.buttons.insertWidget(0, self.done_task)

        self.channel.changed.connect(self._on_channel)
        self.purpose.changed.connect(self._on_purpose)
        self.template.currentIndexChanged.connect(self._on_template)
        self._start(skus, share_cart, pay_order_id)

    def _fit(self, parent: QWidget | None) -> None:
        """As large as the form wants, within the window, never more than fits 1024x768."""
        window = parent.window() if parent is not None else None
        room_w = window.width() - 48 if window is not None else WIDTH
        room_h = window.height() - 48 if window is not None else HEIGHT
        self.resize(max(640, min(WIDTH, room_w)), max(520, min(HEIGHT, room_h)))

    # -- the start ----------------------------------------------------------------------
    def _start(self, skus: tuple[str, ...], share_cart: bool, pay: str | None) -> None:
        attaches = "pay_link" if pay else "cart" if share_cart else "back_in_stock" if skus else ""
        purpose = "service" if pay else "marketing"
        self.purpose.set_value(purpose)
        self._enable_channels()
        channel = next((c for c in CHANNEL_NAMES if self.channel.buttons[c].isEnabled()), "email")
        self.channel.set_value(channel)
        self._on_channel(channel)
        wanted = template_for(self.reach.templates_for(channel), attaches) if attaches else None
        if wanted is None and skus:
            wanted = template_for(self.reach.templates_for(channel), "products")
        if wanted is not None:
            self.template.setCurrentIndex(max(0, self.template.findData(wanted.id)))

    # -- channel, kind, template --------------------------------------------------------
    def _enable_channels(self) -> None:
        purpose = self.purpose.value() or "marketing"
        refusals = self.reach.channel_refusals(purpose)
        for channel, refused in refusals.items():
            self.channel.set_enabled(channel, refused is None, refused.text if refused else "")
        self._say_channel()

    def _say_channel(self, timing_too: bool = True) -> None:
        """Which channels are closed to this shopper and why (a word each; the sentence is
        the button's tooltip), and quiet hours or the cap, in the field's hint."""
        purpose = self.purpose.value() or "marketing"
        closed = [
            f"{self.tr(CHANNEL_NAMES[c])} ({self._why(r.code)})"
            for c, r in self.reach.channel_refusals(purpose).items()
            if r is not None
        ]
        lines = [self.tr("Not open to them: {channels}").format(channels=", ".join(closed))]
        lines = lines if closed else []
        channel = self.channel.value()
        timing = self.reach.timing(channel, purpose) if channel and timing_too else None
        if timing is not None:
            lines.insert(0, timing.text)
        self.channel_hint.setText("\n".join(lines))
        self.channel_hint.setVisible(bool(lines))

    def _why(self, code: str) -> str:
        return {
            "no_address": self.tr("no address"),
            "no_consent": self.tr("not agreed"),
            "unsubscribed": self.tr("unsubscribed"),
        }.get(code, code)

    def _on_channel(self, channel: str) -> None:
        self.clear_error("channel")
        chosen = self.template.currentData()
        self.template.blockSignals(True)
        self.template.clear()
        self.template.addItem(self.tr("No template: write your own"), None)
        for t in self.reach.templates_for(channel):
            self.template.addItem(t.name, t.id)
        self.template.setCurrentIndex(max(0, self.template.findData(chosen)) if chosen else 0)
        self.template.blockSignals(False)
        self.subject.setVisible(channel == "email")
        self.subject_caption.setVisible(channel == "email")
        self._say_channel()

    def _on_purpose(self, _purpose: str) -> None:
        self.clear_error("purpose")
        self.clear_error("channel")
        self._enable_channels()
        chosen = self.channel.value()
        if chosen and not self.channel.buttons[chosen].isEnabled():  # closed for this kind
            open_ = [c for c in CHANNEL_NAMES if self.channel.buttons[c].isEnabled()]
            if open_:
                self.channel.set_value(open_[0])

    def _on_template(self, _index: int) -> None:
        self.clear_error("template")
        template = self.chosen_template()
        if template is None:
            return
        self.purpose.set_value(template.purpose)
        self.subject.setText(self.reach.fill(template.subject or ""))
        self.body_edit.setPlainText(self.reach.fill(template.body))
        self.body_edit.moveCursor(QTextCursor.MoveOperation.End)  # ready to add a line
        self.attach.suggest(template.attaches)

    def chosen_template(self) -> wire.MessageTemplate | None:
        wanted = self.template.currentData()
        return next((t for t in self.reach.templates if t.id == wanted), None)

    # -- writing ------------------------------------------------------------------------
    def submit(self) -> None:
        problem = self.attach.problem()
        if problem:
            self.show_errors({"attachments": problem})
            return
        channel = self.channel.value() or ""
        template = self.chosen_template()
        entry = self.write(
            lambda: self.ctx.commands.send_message(
                shopper_id=self.reach.shopper.id,
                channel=channel,
                purpose=self.purpose.value() or "",
                body=self.body_edit.toPlainText(),
                subject=self.subject.text() if channel == "email" else None,
                template_id=template.id if template else None,
                attachments=self.attach.attachments(),
            )
        )
        if entry is None:
            if self.field_error("channel"):  # said under the channels now: not twice
                self._say_channel(timing_too=False)
            return
        self.entry = entry
        self._finish_task()
        name = self.reach.shopper.first_name
        if self.ctx.bridge.state.online:
            text = self.tr("Message to {name} on its way.").format(name=name)
        else:
            text = self.tr("Message to {name} saved: it goes when the tablet is back online.")
            text = text.format(name=name)
        self.ctx.messages.success(text, log_text="message queued")
        self.accept()

    def _finish_task(self) -> None:
        if self.task_id is None or not self.done_task.isChecked():
            return
        try:
            self.ctx.commands.update_task(task_id=self.task_id, action="done")
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(exc.message)

    def field_values(self) -> dict[str, Any]:
        """What the form holds (tests and the screenshots read it)."""
        return {
            "channel": self.channel.value(),
            "purpose": self.purpose.value(),
            "subject": self.subject.text(),
            "body": self.body_edit.toPlainText(),
            "attachments": self.attach.attachments(),
        }
