"""Where the archive lies and how its files are named.

The archive sits beside the warehouse file (`var/bottomline.duckdb` archives to
`var/bottomline-archive/`), hive-partitioned so any Parquet reader can query it:
`<kind>/model=<name>/month=<YYYY-MM>/part-<sequence>-<when>-<id>.parquet`. The warehouse's
`archive_parts` table lists the files that belong to it; anything else in the folder was left
by a move that did not commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import duckdb

from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run

KINDS = ("predictions", "outcomes")  # the archive's top folders, one per raw table


class ArchiveError(RuntimeError):
    """The archive cannot be used; the message says which file or folder."""


def archive_folder(con: duckdb.DuckDBPyConnection) -> Path:
    """The archive folder of the warehouse `con` is connected to."""
    rows = run(con, load_sql("archive/warehouse_path"))
    if not rows or rows[0][0] is None:
        raise ArchiveError("an in-memory warehouse has no archive folder")
    warehouse = Path(str(rows[0][0]))
    return warehouse.with_name(f"{warehouse.stem}-archive")


def part_name(kind: str, model: str, month: dt.date, now: dt.datetime, sequence: int) -> str:
    """A new file's path relative to the archive folder. Its name begins with its sequence
    number among the model's files of that kind, so names sort in the order they were written
    (the newest copy of a row archived twice wins; see archive/archived_rows.sql)."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    name = f"part-{sequence:08d}-{stamp}-{uuid.uuid4().hex[:8]}.parquet"
    return f"{kind}/model={model}/month={month:%Y-%m}/{name}"


def listed_files(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The archive's files, as the warehouse lists them (relative paths)."""
    return {str(row[0]) for row in run(con, load_sql("archive/all_files"))}


def remove_unlisted(con: duckdb.DuckDBPyConnection, folder: Path, model: str) -> list[Path]:
    """Delete the model's files in the archive folder that the warehouse does not list: left by
    a move killed before it committed (their rows are still in the warehouse)."""
    listed = listed_files(con)
    removed = []
    for kind in KINDS:
        for path in sorted((folder / kind / f"model={model}").glob("month=*/*.parquet")):
            if path.relative_to(folder).as_posix() not in listed:
                path.unlink()
                removed.append(path)
    return removed
