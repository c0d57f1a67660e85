"""Reading stored rows whose days may be archived: the warehouse's and the archive's together.

The queries that read raw rows by day (a unit's aggregation, a reference window) read
`archived_predictions` and `archived_outcomes` beside the warehouse tables; `archived_rows`
registers them on the connection for the days asked (empty when no archive file holds any of
those days, which costs nothing) and removes them after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from bottomline.archive.folder import KINDS, archive_folder
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run


def archived_files(
    con: duckdb.DuckDBPyConnection, model: str, kind: str, first_day: dt.date, last_day: dt.date
) -> list[str]:
    """Absolute paths of the model's archive files of `kind` holding days in the range."""
    rows = run(
        con,
        load_sql("archive/part_files"),
        {"model": model, "kind": kind, "first_day": first_day, "last_day": last_day},
    )
    if not rows:
        return []
    folder = archive_folder(con)
    return [str(folder / str(row[0])) for row in rows]


@contextmanager
def archived_rows(
    con: duckdb.DuckDBPyConnection, model: str, first_day: dt.date, last_day: dt.date
) -> Iterator[None]:
    """`archived_predictions` and `archived_outcomes` on `con` while the block runs: the
    model's archived rows of days in [first_day, last_day]."""
    for kind in KINDS:
        files = archived_files(con, model, kind, first_day, last_day)
        rows = (
            con.sql(
                load_sql("archive/archived_rows", schema=model, table=kind),
                params={"files": files, "first_day": first_day, "last_day": last_day},
            )
            if files
            else con.sql(load_sql("archive/no_archived_rows", schema=model, table=kind))
        )
        con.register(f"archived_{kind}", rows)
    try:
        yield
    finally:
        for kind in KINDS:
            con.unregister(f"archived_{kind}")
