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
from typing import Any

import polars as pl
import pyarrow as pa

from bottomline.config import PostgresSource
from bottomline.identifiers import quote_identifier
from bottomline.sources import SourceError

# Types a watermark may have; the name is written into the cast, so only these are accepted.
WATERMARK_TYPES = frozenset(
    {
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
        "date",
        "timestamp without time zone",
        "timestamp with time zone",
        "text",
        "character varying",
    }
)


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
        self.column = quote_identifier(watermark)
        if source.table is not None:
            self.relation = ".".join(quote_identifier(part) for part in source.table.split("."))
        else:
            self.relation = f"({source.query}) AS source_query"

    def rows_without_watermark(self) -> int:
        """Rows that can never be read because their watermark is NULL."""
        sql = f"SELECT count(*) FROM {self.relation} WHERE {self.column} IS NULL"
        with self._connect() as connection:
            rows = self._fetch(connection, sql, ()).to_pylist()
        return int(next(iter(rows[0].values())))

    def units(self, after: Watermark | None) -> Iterator[DatabaseUnit]:
        """Units in watermark order, each read only when the previous one was taken."""
        with self._connect() as connection:
            low = after
            while True:
                high, count = self._next_high(connection, low)
                if high is None or count == 0:
                    return
                rows = self._unit_rows(connection, low, high)
                yield DatabaseUnit(rows=rows, low=low, high=high, name=self._name(low, high))
                low = high

    def _next_high(self, connection: Any, low: Watermark | None) -> tuple[Watermark | None, int]:
        where, parameters = self._after(low)
        sql = (
            "SELECT max(w)::text AS high, pg_typeof(max(w))::text AS type_name, "
            f"count(*) AS n FROM (SELECT {self.column} AS w FROM {self.relation} "
            f"WHERE {self.column} IS NOT NULL{where} ORDER BY {self.column} "
            f"LIMIT {int(self.source.batch_rows)}) AS unit"
        )
        [row] = self._fetch(connection, sql, parameters).to_pylist()
        if row["high"] is None:
            return None, 0
        type_name = str(row["type_name"])
        if type_name not in WATERMARK_TYPES:
            raise SourceError(
                self.source.relation,
                f"watermark column {self.watermark!r} is of type {type_name}; use a number, "
                "a date, a timestamp or text that grows with every new row",
            )
        return Watermark(str(row["high"]), type_name), int(row["n"])

    def _unit_rows(self, connection: Any, low: Watermark | None, high: Watermark) -> pl.DataFrame:
        where, parameters = self._after(low)
        sql = (
            f"SELECT * FROM {self.relation} WHERE {self.column} IS NOT NULL{where} "
            f"AND {self.column} <= CAST(${len(parameters) + 1} AS {high.type_name}) "
            f"ORDER BY {self.column}"
        )
        table = self._fetch(connection, sql, (*parameters, high.value))
        frame = _plain_frame(table)
        return frame.with_row_index("source_row", offset=1).with_columns(
            pl.col("source_row").cast(pl.Int64)
        )

    def _after(self, low: Watermark | None) -> tuple[str, tuple[str, ...]]:
        if low is None:
            return "", ()
        return f" AND {self.column} > CAST($1 AS {low.type_name})", (low.value,)

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

    def _fetch(self, connection: Any, sql: str, parameters: tuple[str, ...]) -> pa.Table:
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
