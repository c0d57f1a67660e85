"""What of a model's raw rows is where: the warehouse or the archive, by month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bottomline.archive.folder import ArchiveError, archive_folder
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run


@dataclass(frozen=True)
class MonthRows:
    """One month (of prediction days; None: outcomes waiting for their prediction)."""

    month: dt.date | None
    predictions: tuple[int, int]  # (in the warehouse, in the archive)
    outcomes: tuple[int, int]
    archive_files: int


@dataclass(frozen=True)
class Inventory:
    months: list[MonthRows]
    folder: Path | None  # the archive folder (None for a warehouse in memory)
    archive_bytes: int  # the model's archive files on disk
    missing_files: list[str]  # listed by the warehouse, not on disk (relative paths)

    def total(self, kind: str, place: int) -> int:
        """Rows of `kind` in the warehouse (place 0) or the archive (place 1)."""
        return sum(getattr(month, kind)[place] for month in self.months)


def inventory(con: duckdb.DuckDBPyConnection, model: str) -> Inventory:
    rows = run(con, load_sql("archive/inventory", schema=model), {"model": model})
    months: dict[dt.date | None, dict[str, tuple[int, int]]] = {}
    files_by_month: dict[dt.date | None, int] = {}
    for kind, month, in_warehouse, in_archive, archive_files in rows:
        months.setdefault(month, {})[kind] = (int(in_warehouse), int(in_archive))
        files_by_month[month] = files_by_month.get(month, 0) + int(archive_files)
    listed = [
        MonthRows(
            month,
            kinds.get("predictions", (0, 0)),
            kinds.get("outcomes", (0, 0)),
            files_by_month[month],
        )
        for month, kinds in months.items()
    ]
    files = [str(row[0]) for row in run(con, load_sql("archive/model_files"), {"model": model})]
    try:
        folder = archive_folder(con)
    except ArchiveError:
        return Inventory(listed, None, 0, files)
    present = [file for file in files if (folder / file).is_file()]
    size = sum((folder / file).stat().st_size for file in present)
    return Inventory(listed, folder, size, [file for file in files if file not in present])
