"""Delivering a report: an email with the PDF attached, sent by SMTP or left in an outbox.

Without SMTP settings the message is written as an `.eml` file to the outbox folder (any
mail client opens it). Credentials arrive in `SmtpSettings` from the caller and are never
logged or written anywhere.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Literal

from bottomline.report.render import render_template

Security = Literal["starttls", "ssl", "none"]

# Headers folded only past RFC 5322's 998 characters: at 78, Python folds a subject that
# starts with "[ALERT]" straight after "Subject:", and readers then see " [ALERT] ...",
# which no "starts with [ALERT]" mail filter matches.
MAIL_POLICY = email.policy.default.clone(max_line_length=998)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    ca_file: str | None = None  # certificates to trust, e.g. a private relay's own CA


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipients: list[str]
    subject: str


def subject_line(context: dict[str, Any]) -> str:
    """Model, period, realized value, and a marker when something needs attention (realized
    value below its range, a data problem or inputs that moved a lot)."""
    marker = "[ALERT] " if context["needs_attention"] else ""
    if not context["has_data"]:
        return f"{marker}{context['title']}, {context['period']}: no predictions"
    realized = context["tiles"][0].value
    return f"{marker}{context['title']}, {context['period']}: {realized} realized"


def compose(
    envelope: Envelope, context: dict[str, Any], pdf_path: Path, sent_at: Any
) -> EmailMessage:
    """The message: plain-text and HTML bodies with the KPIs, and the PDF attached."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = envelope.subject
    message["From"] = envelope.sender
    message["To"] = ", ".join(envelope.recipients)
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = make_msgid(domain="bottomline.local")
    message.set_content(render_template("business_impact/email.txt.j2", context, autoescape=False))
    message.add_alternative(
        render_template("business_impact/email.html.j2", context), subtype="html"
    )
    message.add_attachment(
        pdf_path.read_bytes(), maintype="application", subtype="pdf", filename=pdf_path.name
    )
    return message


def read_message(path: Path) -> EmailMessage:
    """A message saved with `write_outbox` or beside its report."""
    parsed = message_from_bytes(path.read_bytes(), policy=MAIL_POLICY)
    assert isinstance(parsed, EmailMessage)
    return parsed


def readdress(message: EmailMessage, recipients: list[str]) -> EmailMessage:
    """The same message to other recipients."""
    del message["To"]
    message["To"] = ", ".join(recipients)
    return message


def write_outbox(
    message: EmailMessage, outbox: Path, name: str, keep_earlier: bool = False
) -> Path:
    """Save the message as `<outbox>/<name>.eml` and return its path. A run writes the same
    file again when re-run (nothing is sent twice); with `keep_earlier` (a message sent again)
    an earlier file stays and this one is `<name>-2.eml`, `-3`, ..."""
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{name}.eml"
    number = 1
    while keep_earlier and path.exists():
        number += 1
        path = outbox / f"{name}-{number}.eml"
    path.write_bytes(bytes(message))
    return path


Refused = dict[str, tuple[int, bytes]]  # recipient: the server's code and reply


def send_smtp(message: EmailMessage, settings: SmtpSettings) -> Refused:
    """Send through an SMTP server (SSL, STARTTLS, or plain, e.g. on loopback); returns the
    recipients the server refused while it took the message for the others (when it refuses
    them all, smtplib raises)."""
    context = ssl.create_default_context(cafile=settings.ca_file)
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, context=context, timeout=settings.timeout_seconds
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password or "")
        refused: Refused = client.send_message(message)
        return refused


def refused_words(refused: Refused) -> str:
    """Who did not get the message, and why, e.g. "cfo@example.com (550 no such user)"."""
    return ", ".join(
        f"{address} ({code} {reply.decode(errors='replace').strip()})"
        for address, (code, reply) in sorted(refused.items())
    )
