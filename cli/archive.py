"""`bottomline archive`: where a model's raw rows are (warehouse or archive); `--move` moves
those past the case's retention now, as the nightly run does after its aggregation."""

from __future__ import annotations

import argparse
from typing import Any

from bottomline import periods
from bottomline.archive.inventory import Inventory, inventory
from bottomline.archive.move import archive_due_rows, cutoffs
from bottomline.case.config import BusinessCase, load_cases
from tasks.settings import Paths, open_warehouse, utc_now


def show_archive(arguments: argparse.Namespace, paths: dict[str, Any]) -> int:
    resolved = Paths.resolve(**paths)
    case = load_cases(resolved.models_dir, [arguments.model])[0]
    if not resolved.warehouse.exists():
        print(f"bottomline: no warehouse at {resolved.warehouse} yet; run `bottomline run` first")
        return 0
    now = utc_now()
    today = periods.today(now, case.zone)
    if arguments.move:
        if case.retention is None:
            print(f"{case.name}: the case sets no `retention`, so every raw row stays.")
            return 0
        with open_warehouse(resolved) as con:
            moved = archive_due_rows(con, case, today, None, now, print)
        assert moved is not None
        print(
            f"{case.name}: moved {moved.predictions:,} predictions and {moved.outcomes:,} "
            f"outcomes to the archive"
            + (
                f"; removed {moved.leftovers_removed} unfinished file(s)"
                if moved.leftovers_removed
                else ""
            )
        )
    with open_warehouse(resolved, read_only=True) as con:
        found = inventory(con, case.name)
    print("\n".join(inventory_lines(case, found, today)))
    return 1 if found.missing_files else 0


def inventory_lines(case: BusinessCase, found: Inventory, today: Any) -> list[str]:
    """The inventory as a table, with the case's retention and the archive's folder."""
    lines = [f"{case.name}: {_policy(case, today)}"]
    if found.folder is not None:
        lines.append(f"archive: {found.folder} ({_size(found.archive_bytes)} for this model)")
    lines.append("")
    lines.append(f"{'month':<10} {'predictions':>25} {'outcomes':>25} {'files':>6}")
    lines.append(f"{'':<10} {'warehouse':>12} {'archive':>12} {'warehouse':>12} {'archive':>12}")
    for month in found.months:
        name = f"{month.month:%Y-%m}" if month.month else "no day yet"
        lines.append(
            f"{name:<10} {month.predictions[0]:>12,} {month.predictions[1]:>12,} "
            f"{month.outcomes[0]:>12,} {month.outcomes[1]:>12,} {month.archive_files:>6}"
        )
    lines.append(
        f"{'total':<10} {found.total('predictions', 0):>12,} {found.total('predictions', 1):>12,} "
        f"{found.total('outcomes', 0):>12,} {found.total('outcomes', 1):>12,}"
    )
    for file in found.missing_files:
        lines.append(f"MISSING: the warehouse lists archive file {file}, which is not on disk")
    return lines


def _policy(case: BusinessCase, today: Any) -> str:
    if case.retention is None:
        return "no `retention` in the case: every raw row stays in the warehouse"
    kept, waited = cutoffs(case, today)
    text = f"raw rows of days before {kept:%d %B %Y} move to the archive"
    if waited < kept:
        text += f" (those without an outcome: before {waited:%d %B %Y})"
    return text


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"
