"""Task: email a report, or leave it in the outbox when no SMTP server is configured."""

from __future__ import annotations

import datetime as dt

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline.delivery import Envelope, compose, send_smtp, subject_line, write_outbox
from tasks.report import BuiltReport
from tasks.settings import Paths, mail_sender, smtp_settings


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[10, 60, 300])
def deliver_report(paths: Paths, report: BuiltReport, recipients: list[str]) -> str:
    """Send to the recipients; returns where it went (addresses, or the outbox file)."""
    logger = get_run_logger()
    if not recipients:
        logger.warning("no recipients for %s: the report is only saved", report.data.case.name)
        return ""
    envelope = Envelope(
        sender=mail_sender(), recipients=recipients, subject=subject_line(report.context)
    )
    message = compose(envelope, report.context, report.rendered.pdf_path, dt.datetime.now(dt.UTC))
    settings = smtp_settings()
    if settings is None:
        saved = write_outbox(message, paths.outbox, report.rendered.pdf_path.stem)
        logger.info(
            "no SMTP server configured: message for %s saved to %s", ", ".join(recipients), saved
        )
        return f"outbox:{saved}"
    send_smtp(message, settings)
    logger.info(
        "emailed %s to %s via %s",
        report.rendered.pdf_path.name,
        ", ".join(recipients),
        settings.host,
    )
    return ", ".join(recipients)
