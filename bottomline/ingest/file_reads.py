"""Which source files to load, each read while the file before it is written.

The ledger (`ingested_files`) is asked on the caller's thread, which holds the warehouse
connection: a file whose size and mtime are the ledger's is unchanged. Any other file is
hashed and, unless its bytes are the ledger's too, read and standardised on a thread, while the
caller validates and writes the file before it. Hashing and reading are hashlib's, Polars' and
the disk's work: they fill a core that the writes leave idle. At most one file is read ahead.

A file under a path the ledger does not know, with the bytes of a file the ledger knows under a
path no longer listed, was moved (its folder renamed, the project copied elsewhere): it is not
read again; the ledger and its stored rows take the new path. Read again, each of its rows
would replace itself and be counted as set aside.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bottomline.case.config import BusinessCase
from bottomline.ingest.loading import IngestSummary, Kind
from bottomline.ingest.normalize import Standardized, standardize_outcomes, standardize_predictions
from bottomline.ingest.sources import (
    SourceError,
    SourceFile,
    content_hash,
    local_copy,
    read_file,
)
from bottomline.sqlfiles import load_sql
from bottomline.validation.profile import Kind as ColumnKind
from bottomline.warehouse import first_row, run, transaction


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
    moved_from: str | None = None  # the ledger's path of these bytes, when the file moved


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
        keys = {"model": model, "kind": kind, "path": source.location}
        known = first_row(con, load_sql("ingest/ledger_lookup"), keys)
        if known and _unchanged(source, known):
            summary.files_unchanged += 1
        else:
            yield Candidate(number, source, known[2] if known else None)


def _unchanged(source: SourceFile, known: tuple[object, ...]) -> bool:
    """Whether the ledger's size and mtime (an object's: size and ETag, what the store
    guarantees; its last-modified time changes when the same bytes are uploaded again) are
    the file's."""
    if source.remote is not None:
        return (known[0], known[3]) == (source.size, source.etag)
    return (known[0], known[1]) == (source.size, source.mtime_ns)


def moved_candidates(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, files: list[SourceFile]
) -> dict[str, str]:
    """Content hash -> ledger path, for the files the ledger knows under a path that is no
    longer listed: where a new path's bytes are one of these, the file moved."""
    listed = {source.location for source in files}
    entries = run(con, load_sql("ingest/ledger_entries"), {"model": model, "kind": kind})
    return {digest: path for path, digest in entries if path not in listed and digest}


def read_ahead(
    files: Iterator[Candidate],
    case: BusinessCase,
    kind: Kind,
    kinds: dict[str, ColumnKind],
    moved: dict[str, str] | None = None,
) -> Iterator[tuple[Candidate, FileRead]]:
    """Each candidate with its hash and rows (or why it could not be read), in order; the
    next one is hashed and read on a thread while the caller works on this one. A new path
    whose bytes are in `moved` (see `moved_candidates`) is not read."""
    moved = moved or {}

    def read(candidate: Candidate) -> FileRead:
        try:
            with local_copy(candidate.source) as path:  # an object is downloaded here
                digest = content_hash(path)
                if digest == candidate.known_digest:
                    return FileRead(digest, None)
                if candidate.known_digest is None and digest in moved:
                    return FileRead(digest, None, moved[digest])
                return FileRead(digest, read_rows(candidate.source, case, kind, kinds, path))
        except SourceError as error:  # an object that could not be downloaded
            return FileRead("", error)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read") as reader:
        pending: tuple[Candidate, Future[FileRead]] | None = None
        for candidate in files:  # the ledger is asked here, on the caller's thread
            upcoming = (candidate, reader.submit(read, candidate))
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = upcoming
        if pending is not None:
            yield pending[0], pending[1].result()


def read_rows(
    source: SourceFile,
    case: BusinessCase,
    kind: Kind,
    kinds: dict[str, ColumnKind],
    path: Path | None = None,
) -> Standardized | SourceError:
    """The file's standardised rows (read from `path`, its local copy, when given), or why it
    could not be read, naming the file by its location."""
    try:
        if path is None:
            with local_copy(source) as copy:
                return standardize(source, case, kind, kinds, copy)
        return standardize(source, case, kind, kinds, path)
    except SourceError as error:
        return error


def record_move(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, old_path: str, source: SourceFile
) -> bool:
    """The ledger's entry of `old_path` and the rows stored from it take the file's new path,
    in one transaction. False when no entry had that path any more (another file with the
    same bytes took it first): this file is then a copy to read."""
    paths = {"old_path": old_path, "new_path": source.location}
    version = {"size": source.size, "mtime_ns": source.mtime_ns, "etag": source.etag}
    with transaction(con):
        moved = run(
            con, load_sql("ingest/ledger_move"), {"model": model, "kind": kind} | version | paths
        )
        if not moved:
            return False
        run(con, load_sql("ingest/rows_move", schema=model, table=kind), paths)
        run(con, load_sql("ingest/quarantine_move", schema=model), {"kind": kind} | paths)
    return True


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
            "path": source.location,
            "size": source.size,
            "mtime_ns": source.mtime_ns,
            "etag": source.etag,
        },
    )


def text_columns(case: BusinessCase, kind: Kind) -> list[str]:
    """Source columns read as written, never as numbers: the id, and categorical inputs."""
    if kind == "outcomes":
        return [case.outcomes.id]
    return [case.predictions.id, *(case.predictions.categorical or [])]


def standardize(
    source: SourceFile,
    case: BusinessCase,
    kind: Kind,
    kinds: dict[str, ColumnKind],
    path: Path,
) -> Standardized:
    """The file's rows (read from `path`, its local copy) in the warehouse's columns and types
    (see `bottomline.ingest.normalize`), named by its location."""
    spec = case.predictions if kind == "predictions" else case.outcomes
    rows = read_file(path, text_columns(case, kind), spec.source.encoding, source.location)
    if kind == "predictions":
        return standardize_predictions(rows, case, source.location, kinds)
    return standardize_outcomes(rows, case, source.location)
