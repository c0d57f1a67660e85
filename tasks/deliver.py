"""Task: email a report, or leave it in the outbox when no SMTP server is configured.

The message is kept beside the PDF (`<report>.eml`) whatever happens, so a report whose
delivery failed can be sent later with `bottomline send RUN_ID`. A window already delivered by
an earlier run is not sent again unless `resend` is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline.delivery.mail import (
    Envelope,
    SmtpSettings,
    compose,
    refused_words,
    send_smtp,
    subject_line,
    write_outbox,
)
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row, run
from tasks.report import BuiltReport
from tasks.settings import (
    Paths,
    mail_sender,
    open_warehouse,
    smtp_retry_delays,
    smtp_settings,
    utc_now,
)


@dataclass(frozen=True)
class Delivery:
    """How delivery ended: where the report went, or why it could not be sent."""

    delivered_to: str | None
    error: str | None = None


def delivery_outcome(state: Any) -> Delivery:
    """The outcome of a `deliver_report` run (its state, asked with return_state=True)."""
    if state.is_completed():
        result: Delivery = state.result()
        return result
    return Delivery(None, error=state.message or "delivery failed")


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=smtp_retry_delays())
def deliver_report(
    paths: Paths, report: BuiltReport, recipients: list[str], run_id: str, resend: bool = False
) -> Delivery:
    """Send to the recipients (retried with backoff: SMTP servers go away)."""
    logger = get_run_logger()
    case, pdf = report.data.case, report.rendered.pdf_path
    if not recipients:  # none, or each gets tonight's portfolio: the message is kept to send
        _kept_message(report, case.report.recipients)
        logger.info(
            "%s: nobody to send to in this run (%s); the message is kept beside the report",
            case.name,
            "its recipients get tonight's portfolio"
            if case.report.recipients
            else "the case has no recipients",
        )
        return Delivery("")
    earlier = _earlier_delivery(paths, case.name, report, run_id)
    if earlier and not resend:
        logger.info(
            "%s of %s to %s was already sent by run %s; not sending it again (resend "
            "to send anyway)",
            pdf.name,
            case.name,
            earlier[1],
            earlier[0],
        )
        return Delivery(f"already sent by run {earlier[0]}")
    message = _kept_message(report, recipients)
    settings = smtp_settings()
    if settings is None:  # the outbox: writing the same file again sends nothing twice
        saved = write_outbox(message, paths.outbox, pdf.stem)
        _record(paths, "runs/delivered", run_id, delivered_to=f"outbox:{saved}")
        logger.info(
            "no SMTP server configured: message for %s saved to %s", ", ".join(recipients), saved
        )
        return Delivery(f"outbox:{saved}")
    stopped = _interrupted_sending(paths, case.name, report, run_id)
    if stopped and not resend:
        return Delivery(None, error=_uncertain_words(stopped, run_id))
    _record(paths, "runs/email_attempt", run_id, message_id=message["Message-ID"], now=utc_now())
    delivery = _send(message, settings, pdf, recipients)
    _record(paths, "runs/delivered", run_id, delivered_to=delivery.delivered_to)  # at once
    return delivery


def _kept_message(report: BuiltReport, recipients: list[str]) -> EmailMessage:
    """The report's message to `recipients`, kept beside its PDF (`<report>.eml`) so that
    `bottomline send RUN_ID` can send it later."""
    envelope = Envelope(mail_sender(), recipients, subject_line(report.context))
    pdf = report.rendered.pdf_path
    message = compose(envelope, report.context, pdf, dt.datetime.now(dt.UTC))
    pdf.with_suffix(".eml").write_bytes(bytes(message))
    return message


def _send(message: Any, settings: SmtpSettings, pdf: Path, recipients: list[str]) -> Delivery:
    logger = get_run_logger()
    logger.info("sending %s to %s via %s", pdf.name, ", ".join(recipients), settings.host)
    refused = send_smtp(message, settings)
    accepted = [address for address in recipients if address not in refused]
    logger.info("emailed %s to %s via %s", pdf.name, ", ".join(accepted), settings.host)
    if refused:
        words = refused_words(refused)
        logger.warning("the SMTP server refused %s", words)
        return Delivery(", ".join(accepted), error=f"the SMTP server refused {words}")
    return Delivery(", ".join(accepted))


def _uncertain_words(stopped: tuple[Any, ...], run_id: str) -> str:
    earlier, message_id, attempted_at = stopped
    return (
        f"run {earlier} was stopped while sending this report (Message-ID {message_id}, "
        f"{attempted_at:%Y-%m-%d %H:%M:%S} UTC), before it knew whether the SMTP server took "
        "it; not sent again, so that no one gets it twice. If it did not arrive, send it "
        f"with `bottomline send {run_id}`"
    )


def _record(paths: Paths, query: str, run_id: str, **values: Any) -> None:
    with open_warehouse(paths) as con:
        run(con, load_sql(query), {"run_id": run_id, **values})


def _interrupted_sending(
    paths: Paths, model: str, report: BuiltReport, run_id: str
) -> tuple[Any, ...] | None:
    """An earlier run of this window stopped while sending (run id, Message-ID, when)."""
    return _earlier_run(paths, "runs/interrupted_sending", model, report, run_id)


def _earlier_delivery(
    paths: Paths, model: str, report: BuiltReport, run_id: str
) -> tuple[Any, ...] | None:
    """An earlier run that delivered this window (run id, where, when)."""
    return _earlier_run(paths, "runs/already_delivered", model, report, run_id)


def _earlier_run(
    paths: Paths, query: str, model: str, report: BuiltReport, run_id: str
) -> tuple[Any, ...] | None:
    figures = report.data.figures
    with open_warehouse(paths, read_only=True) as con:
        return first_row(
            con,
            load_sql(query),
            {"model": model, "start": figures.start, "end": figures.end, "run_id": run_id},
        )
