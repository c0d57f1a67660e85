"""Rows set aside: listing them, and letting them back in after a fix."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from bottomline.sqlfiles import load_sql
from bottomline.warehouse import Row, run, transaction


@dataclass(frozen=True)
class QuarantineListing:
    by_rule: list[Row]  # kind, rule, rows, files
    rows: list[Row]  # kind, source_file, source_row, column_name, rule, reason, record, time


def list_quarantine(con: duckdb.DuckDBPyConnection, model: str, limit: int) -> QuarantineListing:
    return QuarantineListing(
        by_rule=run(con, load_sql("ingest/quarantine/by_rule", schema=model)),
        rows=run(con, load_sql("ingest/quarantine/list", schema=model), {"limit": limit}),
    )


def forget_files_with_quarantine(con: duckdb.DuckDBPyConnection, model: str) -> int:
    """Make the next run read again every file that has rows set aside; returns how many."""
    with transaction(con):
        count = load_sql("ingest/quarantine/ledger_count")
        before = run(con, count, {"model": model})[0][0]
        run(con, load_sql("ingest/quarantine/forget_files", schema=model), {"model": model})
        after = run(con, count, {"model": model})[0][0]
    return int(before) - int(after)
