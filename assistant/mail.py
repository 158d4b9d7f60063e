"""Email over SMTP: one connection per run, messages built by the standard library.

Python's own ``smtplib`` and ``email`` packages are the maintained way to speak SMTP and MIME
here; the connection is opened when the first message goes out and closed by the run.
Messages are built with ``email.mime`` (the ``compat32`` policy): the newer ``EmailMessage``
parses every header it is given and refolds it when sent, which took three times as long for
the headers a reminder run writes itself, hundreds of times a run.
"""

from __future__ import annotations

import smtplib
import ssl
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid, parseaddr
from types import TracebackType

from assistant.errors import Unavailable
from assistant.settings import Settings

# UTF-8 text bodies as quoted-printable, readable in the raw message (the default is base64).
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


def _text(text: str, subtype: str = "plain") -> MIMEText:
    """A text part in UTF-8, quoted-printable (which also keeps every line short enough for SMTP)."""
    return MIMEText(text, subtype, _UTF8)  # type: ignore[arg-type]


def message(
    settings: Settings,
    to: tuple[str, str],
    subject: str,
    body: str,
    key: str,
    calendar: tuple[str, str] | None = None,
) -> Message:
    """A plain-text email to ``(name, address)``; ``calendar`` is ``(method, ics text)`` for an invitation.

    The Message-ID is made from the reminder's key, so a copy that did go out twice could be
    recognised as one by the recipient's mail system.
    """
    mail: Message
    if calendar is None:
        mail = _text(body)
    else:
        method, text = calendar
        mail = MIMEMultipart("alternative")
        mail.attach(_text(body))
        invite = _text(text, "calendar")
        invite.set_param("method", method)
        mail.attach(invite)
    mail["From"] = formataddr(parseaddr(settings.mail_from), charset="utf-8")
    mail["To"] = formataddr(to, charset="utf-8")
    mail["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")  # type: ignore[assignment]
    domain = settings.mail_from.rpartition("@")[2].rstrip(">").strip() or "localhost"
    mail["Message-ID"] = make_msgid(idstring=key.replace(":", "."), domain=domain)
    return mail


class Mailer:
    """Sends messages through the configured server; ``None`` from ``for_settings`` when there is none."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> Mailer | None:
        """A mailer when ``ASSISTANT_SMTP_HOST`` is set."""
        return cls(settings) if settings.smtp_host else None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        host, timeout = str(s.smtp_host), s.smtp_timeout
        try:
            if s.smtp_tls == "ssl":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, s.smtp_port, timeout=timeout, context=ssl.create_default_context()
                )
            else:
                connection = smtplib.SMTP(host, s.smtp_port, timeout=timeout)
                if s.smtp_tls == "starttls":
                    connection.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                connection.login(s.smtp_username, password)
        except (OSError, smtplib.SMTPException) as exc:
            raise Unavailable(f"The mail server {host}:{s.smtp_port} could not be used ({exc}).") from exc
        return connection

    def send(self, mail: Message) -> None:
        """Send one message (Unavailable when the server cannot be reached or refuses it)."""
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise Unavailable(f"The mail server refused a message ({type(exc).__name__}).") from exc

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
