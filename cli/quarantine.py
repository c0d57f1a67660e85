"""`bottomline quarantine`: what was set aside and why; `--reingest` lets it back in."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bottomline.ingest.quarantine import forget_files_with_quarantine, list_quarantine
from tasks.settings import Paths, open_warehouse


def show_quarantine(arguments: argparse.Namespace, paths: dict[str, Any]) -> int:
    resolved = Paths.resolve(**paths)
    warehouse = resolved.warehouse
    if not warehouse.exists():
        print(f"bottomline: no warehouse at {warehouse} yet; run `bottomline run` first")
        return 0
    if arguments.reingest:
        with open_warehouse(resolved) as con:
            files = forget_files_with_quarantine(con, arguments.model)
        print(
            f"{files} file(s) with rows set aside will be read again by the next run "
            f"(`bottomline run --model {arguments.model}`)."
        )
        return 0
    with open_warehouse(resolved, read_only=True) as con:
        listing = list_quarantine(con, arguments.model, arguments.limit)
    if not listing.by_rule:
        print(f"{arguments.model}: no rows are set aside.")
        return 0
    total = sum(row[2] for row in listing.by_rule)
    print(f"{arguments.model}: {total:,} rows set aside")
    for kind, rule, rows, files in listing.by_rule:
        print(f"  {rows:>10,}  {kind:<11} {rule}  ({files} file(s))")
    print(f"\nNewest {len(listing.rows)}:")
    for kind, source_file, source_row, column, _rule, reason, record, _time in listing.rows:
        print(
            f"  {source_file}, row {source_row}{f', column {column}' if column else ''} "
            f"({kind}): {reason}"
        )
        print(f"      {_short(record)}")
    return 0


def _short(record: str | None, width: int = 110) -> str:
    """The row as read, on one line (a line that was not JSON is shown as it was)."""
    try:
        text = json.dumps(json.loads(record or "{}"), ensure_ascii=False)
    except json.JSONDecodeError:
        text = record or ""
    return text if len(text) <= width else text[: width - 3] + "..."
