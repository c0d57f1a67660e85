"""Moving raw rows older than a case's retention from the warehouse to the Parquet archive.

Each month is moved in its own transaction: its due predictions and outcomes are written to
new Parquet files (zstd), read back and compared with the rows they copy (row count and the
sum of every row's hash), and only then deleted from the warehouse, in the same transaction
that lists the files in `archive_parts`. A run killed at any point loses nothing and leaves
no row in both places: before the commit the new files are not part of the archive (the next
move deletes them), after it the rows are only in the archive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bottomline.archive.folder import (
    KINDS,
    ArchiveError,
    archive_folder,
    part_name,
    remove_unlisted,
)
from bottomline.case.config import BusinessCase
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row, run, transaction


@dataclass(frozen=True)
class MonthMoved:
    month: dt.date  # its first day
    predictions: int
    outcomes: int
    files: list[str]  # relative to the archive folder


@dataclass(frozen=True)
class ArchiveMove:
    """What one move did for one model."""

    cutoff: dt.date  # rows of days before it were due (with their outcomes' wait over)
    months: list[MonthMoved] = field(default_factory=list)
    leftovers_removed: int = 0  # files of a killed earlier move, deleted

    @property
    def predictions(self) -> int:
        return sum(month.predictions for month in self.months)

    @property
    def outcomes(self) -> int:
        return sum(month.outcomes for month in self.months)


def cutoffs(case: BusinessCase, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first day kept whatever its outcomes, and the first day whose predictions without
    an outcome are kept (both in the case's zone)."""
    assert case.retention is not None
    return (
        today - dt.timedelta(days=case.retention.raw_days),
        today - dt.timedelta(days=case.retention.wait_days),
    )


def archive_due_rows(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    today: dt.date,
    run_id: str | None,
    now: dt.datetime,
    progress: Callable[[str], None] = lambda message: None,
) -> ArchiveMove | None:
    """Move the case's rows past its retention to the archive, a month per transaction; None
    when the case keeps every row."""
    if case.retention is None:
        return None
    folder = archive_folder(con)
    leftovers = remove_unlisted(con, folder, case.name)
    cutoff, wait_cutoff = cutoffs(case, today)
    query = load_sql("archive/due_months", schema=case.name)
    months = [row[0] for row in run(con, query, {"cutoff": cutoff})]
    moved = []
    for month in months:
        done = _move_month(con, case, folder, month, (cutoff, wait_cutoff), run_id, now)
        if done.predictions or done.outcomes:
            moved.append(done)
            progress(
                f"{case.name}: archived {month:%B %Y}: {done.predictions:,} predictions and "
                f"{done.outcomes:,} outcomes"
            )
    return ArchiveMove(cutoff, moved, len(leftovers))


def _move_month(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    folder: Path,
    month: dt.date,
    cutoffs: tuple[dt.date, dt.date],
    run_id: str | None,
    now: dt.datetime,
) -> MonthMoved:
    model = case.name
    bounds = {"month": month, "next_month": _next_month(month), "cutoff": cutoffs[0]}
    due = {**bounds, "model": model}
    run(con, load_sql("archive/due_predictions", schema=model), {**due, "wait_cutoff": cutoffs[1]})
    run(con, load_sql("archive/due_outcomes", schema=model), due)
    written: dict[str, tuple[str, int, int]] = {}
    for kind in KINDS:
        count = _due_count(con, kind)
        if count:
            written[kind] = _write_part(con, model, kind, folder, month, now, bounds)
    with transaction(con):
        for kind, (file, rows, checksum) in written.items():
            names = {"schema": model, "table": kind, "due": f"archive_due_{kind}"}
            run(con, load_sql("archive/delete_due", **names), bounds)
            stamp = {"model": model, "kind": kind, "file": file}
            run(
                con,
                load_sql("archive/part_record", due=names["due"]),
                {**stamp, "month": month, "rows": rows, "checksum": checksum}
                | {"run_id": run_id, "now": now},
            )
            run(con, load_sql("archive/day_rows_record", due=names["due"]), stamp)
    return MonthMoved(
        month,
        written["predictions"][1] if "predictions" in written else 0,
        written["outcomes"][1] if "outcomes" in written else 0,
        [file for file, _, _ in written.values()],
    )


def _due_count(con: duckdb.DuckDBPyConnection, kind: str) -> int:
    found = first_row(con, load_sql("archive/due_count", due=f"archive_due_{kind}"))
    return int(found[0]) if found else 0


def _write_part(
    con: duckdb.DuckDBPyConnection,
    model: str,
    kind: str,
    folder: Path,
    month: dt.date,
    now: dt.datetime,
    bounds: dict[str, dt.date],
) -> tuple[str, int, int]:
    """Write the due rows of `kind` to a new file and check it; returns (file, rows,
    checksum). Raises ArchiveError when the file does not hold exactly those rows."""
    names = {"schema": model, "table": kind, "due": f"archive_due_{kind}"}
    count = first_row(con, load_sql("archive/part_count"), {"model": model, "kind": kind})
    file = part_name(kind, model, month, now, int(count[0]) + 1 if count else 1)
    path = folder / file
    path.parent.mkdir(parents=True, exist_ok=True)
    con.sql(load_sql("archive/due_rows", **names), params=bounds).write_parquet(
        str(path), compression="zstd"
    )
    expected = first_row(con, load_sql("archive/checksum_rows", **names), bounds)
    found = first_row(con, load_sql("archive/checksum_file"), {"file": str(path)})
    if expected is None or found is None or tuple(expected) != tuple(found):
        path.unlink(missing_ok=True)
        raise ArchiveError(
            f"archive file {path} does not match the {kind} it copies "
            f"(rows and checksum {found} against {expected}); nothing was deleted"
        )
    return file, int(expected[0]), int(expected[1])


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
