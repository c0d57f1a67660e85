"""Task: gather a model's figures for a window and render its report (HTML and PDF)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline.case.config import BusinessCase
from bottomline.drift.window import store_drift
from bottomline.impact.verdict import judge
from bottomline.ingest.run import file_errors
from bottomline.measures.aggregate import AggregateSummary
from bottomline.report.content import ReportData, gather_report_data
from bottomline.report.context import build_context
from bottomline.report.render import RenderedReport, render_html, write_report
from bottomline.runs import ReportedWindow, RunVerdict, window_reported
from tasks.ingest import Ingested
from tasks.settings import Paths, code_version, open_warehouse, published_link, utc_now


@dataclass(frozen=True)
class BuiltReport:
    data: ReportData
    context: dict[str, Any]  # the template context, reused for the email
    rendered: RenderedReport

    @property
    def verdict(self) -> RunVerdict:
        """The window's verdict and its range, for the run's row."""
        figures = self.data.figures
        judged = judge(figures, self.data.case.verdict)
        known = judged is not None
        return RunVerdict(
            judged, figures.band_low if known else None, figures.band_high if known else None
        )


@task(cache_policy=NO_CACHE)
def build_report(
    paths: Paths,
    case: BusinessCase,
    period: tuple[dt.date, dt.date],
    run_id: str,
    ingested: Ingested,
) -> BuiltReport:
    start, end = period
    summaries = ingested.report.summaries
    with open_warehouse(paths) as con:
        data = gather_report_data(
            con,
            case,
            start,
            end,
            run_id=run_id,
            code_version=code_version(),
            generated_at=utc_now(),
            file_errors=file_errors(summaries),
            file_notes=[note for s in summaries for note in s.notes] + ingested.report.notes,
            data_docs=(published_link(paths, ingested.data_docs) or str(ingested.data_docs))
            if ingested.data_docs
            else None,
        )
        store_drift(con, case.name, start, end, data.drift, utc_now())
    started = time.perf_counter()
    context = build_context(data)
    pdf_path = paths.reports_dir / case.name / f"{case.name}_{start}_{end}.pdf"
    rendered = write_report(render_html(context), pdf_path)
    get_run_logger().info(
        "%s: %s (%d pages, rendered in %.1f s)",
        case.name,
        rendered.pdf_path,
        rendered.pages,
        time.perf_counter() - started,
    )
    return BuiltReport(data=data, context=context, rendered=rendered)


@task(cache_policy=NO_CACHE)
def earlier_report(
    paths: Paths,
    case: BusinessCase,
    period: tuple[dt.date, dt.date],
    run_id: str,
    flow_label: str,
    changes: tuple[Ingested, AggregateSummary],
    resend: bool,
) -> ReportedWindow | None:
    """For a nightly run: the report an earlier run made of this window, when nothing changed
    since (no file loaded or unreadable, no day recomputed) and no resend was asked. A re-run
    after a kill then leaves the models that had finished as they were, rather than
    overwriting their report with a "nothing arrived" one."""
    ingested, aggregated = changes
    summaries = ingested.report.summaries
    if flow_label != "nightly" or resend or aggregated.days:
        return None
    if any(summary.files_loaded or summary.errors for summary in summaries):
        return None
    with open_warehouse(paths, read_only=True) as con:
        earlier = window_reported(con, case.name, flow_label, period, run_id)
    if earlier is None or not Path(earlier.report_path).exists():
        return None
    get_run_logger().info(
        "%s: nothing new since run %s, whose report of this window stands: %s",
        case.name,
        earlier.run_id,
        earlier.report_path,
    )
    return earlier
