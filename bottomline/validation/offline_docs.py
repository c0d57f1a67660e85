"""A data-docs index that opens without the internet.

GX 1.24's index page builds its list of validations with scripts and styles from public CDNs
(jQuery, Bootstrap, bootstrap-table): offline, or behind a firewall that blocks them, it shows
an empty page. Its validation pages themselves are plain HTML tables that read without them.
So the run's `index.html` is replaced by a static page listing each validation page with its
status and counts, and GX's own index is kept beside it as `gx_index.html`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

STATUS = re.compile(r"Status:</span>.*?(Succeeded|Failed)", re.DOTALL)
COUNT = re.compile(r"{label}</div></td><td[^>]*><div[^>]*>(\d+)<")

STYLE = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1a1f29; margin: 2em;
  max-width: 60em; }
table { border-collapse: collapse; } td, th { padding: 0.35em 1em 0.35em 0; text-align: left;
  border-bottom: 1px solid #d9dde3; } .failed { color: #b42318; font-weight: 600; }
.meta { color: #4b5563; font-size: 0.9em; }
"""


@dataclass(frozen=True)
class ValidationPage:
    suite: str  # predictions, outcomes-2, ... (one per validated batch)
    path: str  # relative to the index
    succeeded: bool | None  # None when the page does not say
    evaluated: int | None
    successful: int | None


def validation_pages(folder: Path) -> list[ValidationPage]:
    """The validation pages GX wrote under `folder`, with what each says of itself."""
    pages = []
    for page in sorted((folder / "validations").rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        status = STATUS.search(text)
        pages.append(
            ValidationPage(
                suite=page.relative_to(folder / "validations").parts[0],
                path=page.relative_to(folder).as_posix(),
                succeeded=None if status is None else status.group(1) == "Succeeded",
                evaluated=_count(text, "Evaluated Expectations"),
                successful=_count(text, "Successful Expectations"),
            )
        )
    return pages


def _count(text: str, label: str) -> int | None:
    found = re.search(COUNT.pattern.format(label=re.escape(label)), text)
    return int(found.group(1)) if found else None


def index_page(run_name: str, pages: list[ValidationPage]) -> str:
    """The static index: one row per validation page."""
    rows = []
    for page in pages:
        status = {True: "passed", False: "failed", None: "see page"}[page.succeeded]
        counts = (
            f"{page.successful} of {page.evaluated}"
            if page.evaluated is not None and page.successful is not None
            else ""
        )
        rows.append(
            f'<tr><td><a href="{html.escape(page.path)}">{html.escape(page.suite)}</a></td>'
            f'<td class="{status}">{status}</td><td>{counts}</td></tr>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Data docs, run {html.escape(run_name)}</title><style>{STYLE}</style></head>"
        f"<body><h1>Checks of run {html.escape(run_name)}</h1>"
        "<table><thead><tr><th>Data checked</th><th>Status</th><th>Checks passed</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="meta">Each page lists every check with examples of failing values. '
        "Great Expectations' own index, which needs the internet for its scripts, is "
        '<a href="gx_index.html">gx_index.html</a>.</p></body></html>'
    )


def write_offline_index(folder: Path, run_name: str) -> Path:
    """Keep GX's index as gx_index.html and write the static one as index.html."""
    index = folder / "index.html"
    if index.exists():
        index.replace(folder / "gx_index.html")
    index.write_text(index_page(run_name, validation_pages(folder)), encoding="utf-8")
    return index
