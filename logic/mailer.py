"""Sending mail over SMTP (smtplib, the standard library's client): one connection per run of
`send-mail`, STARTTLS and sign-in when configured, and a plain answer to "was it refused
for good?" for each failure. What is sent and when is the service's (services/mail.py)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

from logic.domain.mail import OutboxMail
from logic.settings import Settings

TIMEOUT = 30.0  # seconds for any one step with the server: well under the claim's length


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str  # the From address
    starttls: bool = False
    user: str = ""
    password: str = ""

    @classmethod
    def of(cls, config: Settings) -> SmtpConfig | None:
        """The server from the settings; None without SMTP_HOST (mail stays in the outbox)."""
        if not config.smtp_host:
            return None
        return cls(
            config.smtp_host,
            config.smtp_port,
            config.smtp_from,
            config.smtp_starttls,
            config.smtp_user,
            config.smtp_password,
        )


def message(mail: OutboxMail, sender: str) -> EmailMessage:
    """The mail as sent: plain text in UTF-8, its Message-ID the same on every attempt (a
    mail system that got it once can tell a second delivery for what it is)."""
    made = EmailMessage()
    made["From"] = sender
    # an address with å, ä or ö (the user table takes it) cannot be written as an ASCII
    # header: the mail is refused for good with the reason (refused_for_good), no crash
    made["To"] = Address(display_name=mail.recipient_name, addr_spec=mail.recipient)
    made["Subject"] = mail.subject
    made["Date"] = formatdate(mail.created_at.timestamp(), localtime=False, usegmt=True)
    made["Message-ID"] = mail.message_id
    made["Content-Language"] = mail.language
    made["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    made.set_content(mail.body)
    return made


@contextmanager
def connected(config: SmtpConfig) -> Iterator[smtplib.SMTP]:
    """An open, greeted (and, if configured, encrypted and signed-in) SMTP connection."""
    server = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT)
    try:
        server.ehlo()
        if config.starttls:
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
        if config.user:
            server.login(config.user, config.password)
        yield server
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):  # gone already: nothing left to close well
            server.close()


def refused_for_good(error: Exception) -> bool:
    """The server refused this recipient or this message with a permanent (5xx) reply, or
    the message cannot be sent by it at all (an address it cannot take): trying again would
    not help. Anything else is tried again by a later run."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return isinstance(error, smtplib.SMTPNotSupportedError | UnicodeError | ValueError)


def this_mail_only(error: Exception) -> bool:
    """The failure is this mail's (its recipient refused for now, 4xx): the others are sent
    on; anything else (unreachable, gone mid-way, the sender refused: the configuration)
    stops the run."""
    return isinstance(error, smtplib.SMTPRecipientsRefused)


def described(error: Exception) -> str:
    """A failure in one line, for the outbox and the Administration page."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [f"{c} {m.decode(errors='replace')}" for c, m in error.recipients.values()]
        return "; ".join(replies)
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}".strip()
