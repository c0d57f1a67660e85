"""Task: show each run's result in the Prefect UI (a markdown summary and a link to the PDF)."""

from __future__ import annotations

import re

from prefect import task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from tasks.report import BuiltReport
from tasks.settings import Paths, published_link


def artifact_key(model: str, suffix: str) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{model}-{suffix}".lower()).strip("-")


@task(cache_policy=NO_CACHE)
def publish_artifacts(report: BuiltReport, paths: Paths) -> None:
    """A markdown summary, and a link to the PDF: under $BOTTOMLINE_REPORTS_URL when the
    reports are served, else its file:// URI (it opens on the machine that wrote it)."""
    context, model = report.context, report.data.case.name
    pdf = report.rendered.pdf_path
    tiles = "\n".join(f"| {tile.label} | {tile.value} | {tile.note} |" for tile in context["tiles"])
    lines = "\n".join(f"- {line}" for line in context["data_lines"])
    markdown = (
        f"## {context['title']}: {context['period']}\n\n**{context['verdict']}**\n\n"
        + (f"| KPI | Value | Note |\n|---|---|---|\n{tiles}\n\n" if tiles else "")
        + f"{lines}\n\nPDF: `{report.rendered.pdf_path}`\n"
    )
    create_markdown_artifact(
        key=artifact_key(model, "summary"),
        markdown=markdown,
        description=f"Business impact of {context['title']}",
    )
    create_link_artifact(
        key=artifact_key(model, "report"),
        link=published_link(paths, pdf) or pdf.as_uri(),
        link_text="Report (PDF)",
    )
