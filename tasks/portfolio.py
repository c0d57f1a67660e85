"""Task: when several models ran, one portfolio report comparing them, then each in full."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline import periods
from bottomline.case.config import load_cases
from bottomline.delivery.mail import Envelope, compose, refused_words, send_smtp, write_outbox
from bottomline.report.content import ReportData, gather_report_data
from bottomline.report.context import NO_OUTLOOK, build_context
from bottomline.report.formatting import money, plural
from bottomline.report.portfolio import inputs_sentence, portfolio_context, worst_level
from bottomline.report.render import render_portfolio_html, write_report
from bottomline.runs import RunEnd, RunStart, record_end, record_start
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import WarehouseBusyError, first_row
from tasks.saved_messages import send_saved
from tasks.settings import (
    Paths,
    code_version,
    mail_sender,
    open_warehouse,
    smtp_settings,
    utc_now,
    with_pii_key,
)

PORTFOLIO = "_portfolio"


def succeeded(models: list[str], states: list[Any]) -> list[str]:
    """The models whose subflow completed."""
    return [model for model, state in zip(models, states, strict=True) if state.is_completed()]


@task(cache_policy=NO_CACHE)
def build_portfolio(
    paths: Paths,
    models: list[str],
    as_of: dt.date | None,
    run_id: str,
    deliver: bool,
    recipients: list[str],
) -> str | None:
    """Render the portfolio of the models and deliver it to `recipients` (those who follow two
    or more of them); None for fewer than two models. Its message is kept beside the PDF, so
    `bottomline send RUN_ID` sends it again."""
    if len(models) < 2:
        return None
    cases = [with_pii_key(case) for case in load_cases(paths.models_dir, models)]
    now = utc_now()
    with open_warehouse(paths) as con:
        datas = []
        for case in cases:
            end = as_of or periods.yesterday(dt.datetime.now(dt.UTC), case.zone)
            start, end = periods.trailing_window(end, case.report.period_days)
            latest = first_row(
                con, load_sql("report/latest_run"), {"model": case.name, "flow": "nightly"}
            )
            datas.append(
                gather_report_data(
                    con,
                    case,
                    start,
                    end,
                    run_id=latest[0] if latest else run_id,
                    code_version=code_version(),
                    generated_at=now,
                )
            )
        first, last = min(d.figures.start for d in datas), max(d.figures.end for d in datas)
        record_start(con, RunStart(run_id, "nightly", PORTFOLIO, last, first, last, now))
    contexts = [build_context(data) for data in datas]
    portfolio = portfolio_context(datas)
    pdf = paths.reports_dir / "portfolio" / f"portfolio_{first}_{last}.pdf"
    rendered = write_report(render_portfolio_html(portfolio, contexts), pdf)
    delivered = _deliver(paths, datas, portfolio, pdf, recipients if deliver else [])
    with open_warehouse(paths) as con:
        record_end(con, run_id, RunEnd(utc_now(), "succeeded", 0, 0, str(pdf), delivered))
    get_run_logger().info("portfolio of %d models: %s (%d pages)", len(datas), pdf, rendered.pages)
    return str(pdf)


def _deliver(
    paths: Paths,
    datas: list[ReportData],
    portfolio: dict[str, Any],
    pdf: Any,
    recipients: list[str],
) -> str | None:
    followers = sorted({address for data in datas for address in data.case.report.recipients})
    currency = datas[0].case.currency
    realized = sum(data.figures.realized_value for data in datas)
    below = any(row.flag for row in portfolio["rows"])
    context = {
        "title": f"Portfolio of {plural(len(datas), 'model')}",
        "period": portfolio["period"],
        "verdict": portfolio["verdict"],
        "pending": None,
        "outlook": NO_OUTLOOK,
        "tiles": [],
        "has_data": True,
        "alert": below,
        "data_level": worst_level(row.data_level for row in portfolio["rows"]),
        "data_headline": "Each model's data, below; its section in the attached report says more.",
        "drift_level": worst_level(row.drift_level for row in portfolio["rows"]),
        "drift_headline": inputs_sentence(portfolio["rows"]),
        "data_lines": [
            f"{row.title}: {row.realized} realized ({row.gap} against the promise); "
            f"data {row.data_words}; inputs {row.drift_words}."
            for row in portfolio["rows"]
        ],
        "code_version": code_version(),
        "run_id": "portfolio",
    }
    subject = (
        f"{'[ALERT] ' if below else ''}{context['title']}, {portfolio['period']}: "
        f"{money(realized, currency)} realized"
    )
    message = compose(
        Envelope(mail_sender(), recipients or followers, subject),
        context,
        pdf,
        dt.datetime.now(dt.UTC),
    )
    pdf.with_suffix(".eml").write_bytes(bytes(message))  # for `bottomline send RUN_ID`
    if not recipients:
        return None
    settings = smtp_settings()
    if settings is None:
        return f"outbox:{write_outbox(message, paths.outbox, pdf.stem)}"
    refused = send_smtp(message, settings)
    if refused:
        get_run_logger().warning("the SMTP server refused %s", refused_words(refused))
    return ", ".join(address for address in recipients if address not in refused)


def run_ids(models: list[str], states: list[Any]) -> dict[str, str]:
    """Each model's run id (its subflow's flow-run id), as in the runs table."""
    return {
        model: str(state.state_details.flow_run_id)
        for model, state in zip(models, states, strict=True)
    }


@task(cache_policy=NO_CACHE)
def deliver_late(paths: Paths, late: dict[str, list[str]], runs: dict[str, str]) -> None:
    """Send a model's kept message to those who waited for a portfolio that did not come to
    two of their models (the others failed): they still get tonight's report of theirs."""
    logger = get_run_logger()
    for model, recipients in late.items():
        with open_warehouse(paths, read_only=True) as con:
            row = first_row(con, load_sql("runs/lookup"), {"run_id": runs[model]})
        message = Path(row[6]).with_suffix(".eml") if row and row[6] else None
        if message is None or not message.exists():
            logger.warning("%s: no kept message to send to %s", model, ", ".join(recipients))
            continue
        delivered, refused = send_saved(paths, message, recipients, runs[model])
        logger.info("%s: sent to %s (their other models failed tonight)", model, delivered)
        if refused:
            logger.warning("%s", refused)


def portfolio_path(paths: Paths, run_id: str) -> str | None:
    """Where a nightly run's portfolio report was written, if it made one."""
    if not paths.warehouse.exists():
        return None
    try:
        with open_warehouse(paths, read_only=True) as con:
            row = first_row(
                con, load_sql("runs/report_path"), {"run_id": run_id, "model": PORTFOLIO}
            )
    except WarehouseBusyError:
        return None
    return str(row[0]) if row and row[0] else None
