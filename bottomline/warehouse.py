"""The DuckDB warehouse: connections, migrations and per-model schemas.

DuckDB lets one process hold the file for writing, and then no other process can open it.
Connections are therefore short-lived, and opening one waits (up to `wait_seconds`) for a
writer in another process to finish rather than failing at once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from bottomline.case.identifiers import quote_identifier
from bottomline.sqlfiles import load_sql, relative_name, sql_files

Row = tuple[Any, ...]
DEFAULT_MEMORY_LIMIT = "1GB"  # DuckDB's buffers per process; see `connect`


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | None = None,
) -> list[Row]:
    """Execute one statement to its end and return its rows.

    DuckDB streams results: a statement whose result is not drained blocks the connection's
    next `register` or `sql`. Every statement of the library goes through here.
    """
    cursor = con.execute(sql, params) if params is not None else con.execute(sql)
    return cursor.fetchall()


def first_row(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | None = None,
) -> Row | None:
    rows = run(con, sql, params)
    return rows[0] if rows else None


class WarehouseBusyError(RuntimeError):
    """Another process held the warehouse for longer than we were willing to wait."""


@contextmanager
def connect(
    path: Path,
    *,
    read_only: bool = False,
    wait_seconds: float = 600.0,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse file, closed on exit; waits while another process writes.

    `memory_limit` bounds DuckDB's buffers (beyond it, large joins spill to disk): left at
    DuckDB's default (80% of the machine), a join over a 10M-row night took 5.4 GB."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    pause = 0.05
    while True:
        try:
            con = duckdb.connect(
                str(path), read_only=read_only, config={"memory_limit": memory_limit}
            )
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(
                    f"the warehouse {path} is held by another process (a run still writing?); "
                    f"waited {wait_seconds:.0f} s"
                ) from error
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: all of it is written, or none of it."""
    run(con, "BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        run(con, "ROLLBACK")
        raise
    run(con, "COMMIT")


def migrate(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> list[str]:
    """Apply the migrations in `sql/migrations/` not applied yet; return their names."""
    run(
        con,
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
    )
    applied = {row[0] for row in run(con, "SELECT version FROM schema_migrations")}
    done = []
    for path in sql_files("migrations"):
        version = path.stem
        if version in applied:
            continue
        with transaction(con):
            run(con, load_sql(relative_name(path)))
            run(
                con,
                "INSERT INTO schema_migrations VALUES ($version, $now)",
                {"version": version, "now": now},
            )
        done.append(version)
    return done


ID_HASH_PROBE = "bottomline id hash probe"  # hashed to tell whether DuckDB's hash changed
_PROBE = {"probe_text": ID_HASH_PROBE}


def ensure_model_schema(con: duckdb.DuckDBPyConnection, model: str) -> None:
    """Create the model's schema and tables if they do not exist, make sure the stored
    predictions' id hashes are DuckDB's hash of today, and give outcomes stored before they
    carried their prediction's day that day (once)."""
    outcome_columns = _columns(con, model, "outcomes")
    with transaction(con):
        run(con, load_sql("model/create_schema", schema=model))
        if outcome_columns and "day" not in outcome_columns:
            run(con, load_sql("model/outcome_days_fill", schema=model))
    _ensure_id_hashes(con, model)


def _columns(con: duckdb.DuckDBPyConnection, model: str, table: str) -> set[str]:
    """The columns `model.table` has now (none when it does not exist)."""
    rows = run(con, load_sql("model/table_columns"), {"schema": model, "table": table})
    return {str(row[0]) for row in rows}


def _ensure_id_hashes(con: duckdb.DuckDBPyConnection, model: str) -> None:
    """Predictions carry hash(prediction_id), which the id lookups search first. DuckDB does
    not promise that `hash` stays the same across versions, so the hash of a fixed text is
    kept with them: when it differs from today's, or is missing (a warehouse from before id
    hashes), every stored id is hashed again, in one transaction."""
    probes = first_row(con, load_sql("model/id_hash_probe", schema=model), _PROBE)
    if probes is not None and probes[0] == probes[1]:
        return
    with transaction(con):
        run(con, load_sql("model/id_hash_refresh", schema=model))
        run(con, load_sql("model/id_hash_probe_clear", schema=model))
        run(con, load_sql("model/id_hash_probe_record", schema=model), _PROBE)


def add_missing_columns(
    con: duckdb.DuckDBPyConnection, model: str, table: str, batch_view: str, columns: list[str]
) -> list[str]:
    """Add to `model.table` those `columns` of the registered `batch_view` it lacks."""
    existing = _columns(con, model, table)
    described = run(con, f"DESCRIBE SELECT * FROM {quote_identifier(batch_view)}")
    batch_types = {str(row[0]): str(row[1]) for row in described}
    added = []
    for column in columns:
        if column in existing:
            continue
        # Identifiers are validated and quoted; the type comes from an allow-list.
        run(
            con,
            f"ALTER TABLE {quote_identifier(model)}.{quote_identifier(table)} "
            f"ADD COLUMN {quote_identifier(column)} "
            f"{_type_name(batch_types.get(column, 'VARCHAR'))}",
        )
        added.append(column)
    return added


_ALLOWED_TYPES = {
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "VARCHAR",
    "DATE",
    "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE",
    "TIME",
    '"NULL"',
}


def _type_name(sql_type: str) -> str:
    """A column type for ALTER TABLE; anything unusual (lists, structs) is kept as text."""
    if sql_type.startswith("DECIMAL"):
        return "DOUBLE"
    if sql_type == '"NULL"':
        return "VARCHAR"
    return sql_type if sql_type in _ALLOWED_TYPES else "VARCHAR"


def drop_model(con: duckdb.DuckDBPyConnection, model: str) -> None:
    """Remove everything stored for a model (its schema, ledger, aggregates, the list of its
    archive files); keep `runs`. The warehouse must be migrated. The archive files themselves
    are the caller's to delete (see bottomline.archive.folder.remove_unlisted)."""
    with transaction(con):
        for table in (
            *("ingested_files", "source_watermarks", "metrics_daily", "stale_days"),
            *("profiles_daily", "calibration_stakes_daily", "confusion_daily"),
            *("decision_curve_daily", "outcome_arrivals_daily"),
            *("archive_parts", "archive_day_rows"),
        ):
            run(con, load_sql("model/forget_model", table=table), {"model": model})
        run(con, load_sql("model/drop_schema", schema=model))
