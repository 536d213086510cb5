"""Email over SMTP to the configured relay (``smtplib``): STARTTLS when configured, then
login with central's credentials, one message per connection (a delivery round sends a
handful; a relay that drops idle connections never sees one kept open).

The email is ``multipart/alternative`` (text and HTML), its ``Message-ID`` built from the
message's id (so a relay or a mailbox sees a resend, should one ever happen, as the same
mail), with ``List-Unsubscribe`` (and ``List-Unsubscribe-Post`` for one-click) pointing at
the message's unsubscribe link.
"""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

from central.messaging.config import SmtpSettings
from central.messaging.providers import SendFailed


def message_id(id_: str, settings: SmtpSettings) -> str:
    domain = settings.from_address.rpartition("@")[2] or "clienteling.invalid"
    return f"<{id_}@{domain}>"


def build(
    settings: SmtpSettings,
    *,
    id_: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    unsubscribe: str | None,
) -> EmailMessage:
    mail = EmailMessage()
    user, _, domain = settings.from_address.partition("@")
    mail["From"] = Address(settings.from_name, user, domain)
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = message_id(id_, settings)
    if unsubscribe:
        mail["List-Unsubscribe"] = f"<{unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


def send(settings: SmtpSettings, mail: EmailMessage) -> None:
    """Hand ``mail`` to the relay, or raise :class:`SendFailed` with a sentence (the
    relay's code, never the address)."""
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s) as relay:
            if settings.starttls:
                relay.starttls(context=ssl.create_default_context(cafile=settings.ca_file))
            if settings.username:
                relay.login(settings.username, settings.password or "")
            relay.send_message(mail)
    except smtplib.SMTPRecipientsRefused:
        raise SendFailed("The mail relay refused the shopper's address.") from None
    except smtplib.SMTPAuthenticationError as error:
        raise SendFailed(
            f"The mail relay refused central's login (SMTP {error.smtp_code})."
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendFailed("The mail relay does not offer STARTTLS or login as configured.") from None
    except smtplib.SMTPResponseException as error:
        raise SendFailed(f"The mail relay refused the message (SMTP {error.smtp_code}).") from None
    except (smtplib.SMTPException, OSError) as error:
        raise SendFailed(f"The mail relay could not be reached ({type(error).__name__}).") from None
