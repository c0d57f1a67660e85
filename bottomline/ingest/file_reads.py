"""Which source files to load, each read while the file before it is written.

The ledger (`ingested_files`) is asked on the caller's thread, which holds the warehouse
connection: a file whose size and mtime are the ledger's is unchanged. Any other file is
hashed and, unless its bytes are the ledger's too, read and standardised on a thread, while the
caller validates and writes the file before it. Hashing and reading are hashlib's, Polars' and
the disk's work: they fill a core that the writes leave idle. At most one file is read ahead.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb

from bottomline.case.config import BusinessCase
from bottomline.ingest.loading import IngestSummary, Kind
from bottomline.ingest.normalize import Standardized, standardize_outcomes, standardize_predictions
from bottomline.ingest.sources import SourceError, SourceFile, content_hash, read_file
from bottomline.sqlfiles import load_sql
from bottomline.validation.profile import Kind as ColumnKind
from bottomline.warehouse import first_row, run


@dataclass(frozen=True)
class Candidate:
    """A file whose size or mtime is not the ledger's: new, or perhaps changed."""

    number: int  # among the files found, from 1
    source: SourceFile
    known_digest: str | None  # the ledger's content hash of the file's earlier version


@dataclass(frozen=True)
class FileRead:
    digest: str  # sha256 of the file's bytes
    content: Standardized | SourceError | None  # None: the same bytes as the ledger's version


def candidates(
    con: duckdb.DuckDBPyConnection,
    model: str,
    kind: Kind,
    files: list[SourceFile],
    summary: IngestSummary,
) -> Iterator[Candidate]:
    """The files the ledger does not know in this size and mtime; the others are counted
    unchanged."""
    for number, source in enumerate(files, start=1):
        keys = {"model": model, "kind": kind, "path": str(source.path)}
        known = first_row(con, load_sql("ingest/ledger_lookup"), keys)
        if known and (known[0], known[1]) == (source.size, source.mtime_ns):
            summary.files_unchanged += 1
        else:
            yield Candidate(number, source, known[2] if known else None)


def read_ahead(
    files: Iterator[Candidate],
    case: BusinessCase,
    kind: Kind,
    kinds: dict[str, ColumnKind],
) -> Iterator[tuple[Candidate, FileRead]]:
    """Each candidate with its hash and rows (or why it could not be read), in order; the
    next one is hashed and read on a thread while the caller works on this one."""

    def read(candidate: Candidate) -> FileRead:
        digest = content_hash(candidate.source.path)
        if digest == candidate.known_digest:
            return FileRead(digest, None)
        try:
            return FileRead(digest, standardize(candidate.source, case, kind, kinds))
        except SourceError as error:
            return FileRead(digest, error)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read") as reader:
        pending: tuple[Candidate, Future[FileRead]] | None = None
        for candidate in files:  # the ledger is asked here, on the caller's thread
            upcoming = (candidate, reader.submit(read, candidate))
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = upcoming
        if pending is not None:
            yield pending[0], pending[1].result()


def record_same_bytes(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, source: SourceFile
) -> None:
    """A file touched or copied without a change: the ledger learns its new size and mtime,
    and the file is not read again."""
    run(
        con,
        load_sql("ingest/ledger_touch"),
        {
            "model": model,
            "kind": kind,
            "path": str(source.path),
            "size": source.size,
            "mtime_ns": source.mtime_ns,
        },
    )


def text_columns(case: BusinessCase, kind: Kind) -> list[str]:
    """Source columns read as written, never as numbers: the id, and categorical inputs."""
    if kind == "outcomes":
        return [case.outcomes.id]
    return [case.predictions.id, *(case.predictions.categorical or [])]


def standardize(
    source: SourceFile, case: BusinessCase, kind: Kind, kinds: dict[str, ColumnKind]
) -> Standardized:
    """The file's rows in the warehouse's columns and types (see `bottomline.ingest.normalize`)."""
    spec = case.predictions if kind == "predictions" else case.outcomes
    rows = read_file(source.path, text_columns(case, kind), spec.source.encoding)
    if kind == "predictions":
        return standardize_predictions(rows, case, str(source.path), kinds)
    return standardize_outcomes(rows, case, str(source.path))
