"""Reading a PostgreSQL table or query incrementally, by a watermark column, in bounded units.

A source is read in units of at most `batch_rows` rows (more only when rows share the last
watermark value: a unit never splits equal watermarks, so `>` the stored watermark resumes
exactly after it). Each unit is one query, `watermark > low AND watermark <= high`, streamed
with ADBC as Arrow; the caller loads a unit and stores its `high` in one transaction before the
next unit is read, so memory holds one unit and a lost connection loses nothing committed.

The watermark is kept as PostgreSQL prints it (`max(column)::text`) with its type, and bound
back as text cast to that type, so it compares exactly as the database compares it. Rows whose
watermark is NULL can never be read incrementally; they are counted so a run can say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from bottomline.case.config import PostgresSource
from bottomline.ingest.sources import SourceError, without_row_column
from bottomline.sqlfiles import load_sql

if TYPE_CHECKING:
    import pyarrow as pa

# Types a watermark may have (as `pg_typeof` prints them), and the type name each is cast to.
WATERMARK_TYPES = {
    "smallint": "int2",
    "integer": "int4",
    "bigint": "int8",
    "numeric": "numeric",
    "real": "float4",
    "double precision": "float8",
    "date": "date",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "text": "text",
    "character varying": "varchar",
}


class DatabaseUnavailableError(Exception):
    """The database could not be reached or the connection was lost (worth retrying)."""


@dataclass(frozen=True)
class Watermark:
    """How far a source has been read: a value of its watermark column, as PostgreSQL prints
    it, and that column's type."""

    value: str
    type_name: str


@dataclass(frozen=True)
class DatabaseUnit:
    """Rows of one query, `low < watermark <= high`, with `source_row` 1..n in watermark
    order; `name` identifies the unit (as a file's path does) in the ledger and quarantine."""

    rows: pl.DataFrame
    low: Watermark | None
    high: Watermark
    name: str

    def content_hash(self) -> str:
        """sha256 over the rows' hashes (stable for the same rows in the same order)."""
        hashes = self.rows.hash_rows(seed=0)
        return hashlib.sha256(hashes.to_numpy().tobytes()).hexdigest()


def source_key(source: PostgresSource, watermark: str) -> str:
    """The identity under which a source's watermark is kept: a changed table, query or
    watermark column starts reading afresh."""
    what = source.table or hashlib.sha256((source.query or "").encode()).hexdigest()[:16]
    return f"postgres:{source.dsn_env}:{what}:{watermark}"


class PostgresReader:
    """A table or query of one PostgreSQL database, read in units after a watermark."""

    def __init__(self, source: PostgresSource, dsn: str, watermark: str) -> None:
        self.source, self.dsn, self.watermark = source, dsn, watermark
        if source.query is not None:
            self.source_query = source.query
        elif source.table is not None and "." in source.table:
            schema, table = source.table.split(".")
            self.source_query = load_sql("ingest/postgres/schema_table", schema=schema, table=table)
        else:
            self.source_query = load_sql("ingest/postgres/table", table=source.table or "")

    def rows_without_watermark(self) -> int:
        """Rows that can never be read because their watermark is NULL."""
        with self._connect() as connection:
            [row] = self._fetch(connection, self._sql("rows_without_watermark"), ()).to_pylist()
        return int(row["n"])

    def units(self, after: Watermark | None) -> Iterator[DatabaseUnit]:
        """Units in watermark order, each read only when the previous one was taken."""
        with self._connect() as connection:
            low = after
            while True:
                high = self._unit_end(connection, low)
                if high is None:
                    return
                rows = self._unit_rows(connection, low, high)
                yield DatabaseUnit(rows=rows, low=low, high=high, name=self._name(low, high))
                low = high

    def _unit_end(self, connection: Any, low: Watermark | None) -> Watermark | None:
        limit = self.source.batch_rows
        if low is None:
            found = self._fetch(connection, self._sql("first_unit_end"), (limit,))
        else:
            found = self._fetch(connection, self._sql("next_unit_end", low), (low.value, limit))
        [row] = found.to_pylist()
        if row["high"] is None or not row["n"]:
            return None
        type_name = str(row["type_name"])
        if type_name not in WATERMARK_TYPES:
            raise SourceError(
                self.source.relation,
                f"watermark column {self.watermark!r} is of type {type_name}; use a number, "
                "a date, a timestamp or text that grows with every new row",
            )
        return Watermark(str(row["high"]), type_name)

    def _unit_rows(self, connection: Any, low: Watermark | None, high: Watermark) -> pl.DataFrame:
        if low is None:
            table = self._fetch(connection, self._sql("first_unit_rows", high), (high.value,))
        else:
            table = self._fetch(
                connection, self._sql("next_unit_rows", high), (low.value, high.value)
            )
        return (
            without_row_column(_plain_frame(table))
            .with_row_index("source_row", offset=1)
            .with_columns(pl.col("source_row").cast(pl.Int64))
        )

    def _sql(self, name: str, typed_as: Watermark | None = None) -> str:
        identifiers = {"watermark": self.watermark}
        if typed_as is not None:
            identifiers["watermark_type"] = WATERMARK_TYPES[typed_as.type_name]
        return load_sql(f"ingest/postgres/{name}", source_query=self.source_query, **identifiers)

    def _name(self, low: Watermark | None, high: Watermark) -> str:
        since = f"{low.value} < " if low else ""
        return f"postgres:{self.source.relation}[{since}{self.watermark} <= {high.value}]"

    def _connect(self) -> Any:
        import adbc_driver_manager
        import adbc_driver_postgresql.dbapi

        try:
            return adbc_driver_postgresql.dbapi.connect(self.dsn)
        except adbc_driver_manager.Error as error:
            raise DatabaseUnavailableError(
                f"cannot connect to ${self.source.dsn_env}: {_first_line(error)}"
            ) from error

    def _fetch(self, connection: Any, sql: str, parameters: tuple[str | int, ...]) -> pa.Table:
        import adbc_driver_manager

        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, parameters=parameters or None)
                return cursor.fetch_arrow_table()
        except adbc_driver_manager.ProgrammingError as error:
            raise SourceError(self.source.relation, _first_line(error)) from error
        except adbc_driver_manager.Error as error:
            raise DatabaseUnavailableError(
                f"reading {self.source.relation} from ${self.source.dsn_env} failed: "
                f"{_first_line(error)}"
            ) from error


def _plain_frame(table: pa.Table) -> pl.DataFrame:
    """Polars columns from ADBC's Arrow: NUMERIC (text in an opaque extension type) becomes
    Float64; other extension types become their text."""
    import pyarrow as pa  # only database sources need it

    columns = {}
    for field, column in zip(table.schema, table.columns, strict=True):
        if isinstance(field.type, pa.BaseExtensionType):
            storage = pa.chunked_array(
                [chunk.storage for chunk in column.chunks], type=field.type.storage_type
            )
            numeric = (field.metadata or {}).get(b"POSTGRESQL:type") == b"numeric"
            series = pl.Series(field.name, storage)
            columns[field.name] = series.cast(pl.Float64, strict=False) if numeric else series
        else:
            columns[field.name] = pl.Series(field.name, column)
    return pl.DataFrame(columns)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
