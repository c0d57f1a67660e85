"""Source files: finding them, fingerprinting them, and reading them into Polars.

Paths in a business case may be globs (`predictions/*/*.parquet`, `**` for any depth) and are
read relative to the case file's folder. Hive-style folders (`date=2026-05-01/`) add their
key as a text column when the file does not already have it.

Every row read carries `source_row`, its 1-based position among the file's data rows (its line
number in a JSON-lines file). A JSON line that is not JSON does not stop the file: it comes
back in `SourceRead.unreadable` with the reason, and the other lines load.
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import hashlib
import io
import json
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from bottomline.case.store_access import StoreAccess, is_remote
from bottomline.ingest.object_store import (
    KEPT,
    ObjectStore,
    StoredObject,
    StoreError,
    download_folder,
)

READERS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
REPLACED = "\ufffd"  # what a byte that is not UTF-8 becomes when read as UTF-8
GUESSED_FROM_ROWS = 10_000  # rows of a CSV or JSON-lines file its column types are guessed from
UNREADABLE_SCHEMA = {"source_row": pl.Int64, "reason": pl.String, "record": pl.String}


class SourceError(Exception):
    """A source file that cannot be used, and why; names the file."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class RemoteFile:
    """Where a source file in object storage is, and the store that downloads it."""

    store: ObjectStore = field(compare=False, repr=False)
    item: StoredObject


@dataclass(frozen=True)
class SourceFile:
    """A file found for a source, with what identifies its version: size and mtime, and an
    object's ETag. An object's `path` is bucket/key, where it is downloaded to be read."""

    path: Path
    size: int  # bytes
    mtime_ns: int
    remote: RemoteFile | None = None

    @property
    def location(self) -> str:
        """What the ledger, the stored rows and the report name the file by: its path, or an
        object's URL."""
        return self.remote.item.url if self.remote is not None else str(self.path)

    @property
    def etag(self) -> str | None:
        return self.remote.item.etag if self.remote is not None else None


@contextlib.contextmanager
def local_copy(source: SourceFile, keep: bool = False) -> Iterator[Path]:
    """The file on local disk while the block runs: itself, or an object downloaded whole to a
    private temporary folder (deleted afterwards; with `keep`, kept for the process's next
    read of the same version, see `KeptDownloads`); a failed download raises `SourceError`
    naming the object."""
    if source.remote is None:
        yield source.path
        return
    remote = source.remote
    try:
        if keep:
            yield KEPT.path(remote.store, remote.item)
            return
        with download_folder() as folder:
            yield remote.store.download(remote.item, folder)
    except StoreError as error:
        raise SourceError(error.location, error.problem) from error


@dataclass(frozen=True)
class SourceRead:
    """A file's rows (with `source_row`) and the rows that could not be parsed at all."""

    rows: pl.DataFrame
    unreadable: pl.DataFrame  # source_row, reason, record (the line as it was)


def resolve_pattern(pattern: str, base_dir: Path) -> str:
    """The pattern as an absolute glob (relative ones are read from `base_dir`)."""
    expanded = Path(pattern).expanduser()
    return str(expanded if expanded.is_absolute() else (base_dir / expanded).resolve())


def list_files(pattern: str, base_dir: Path, access: StoreAccess | None = None) -> list[SourceFile]:
    """Files matching the pattern, sorted by path; folders and unknown suffixes are skipped.
    An `s3://` or `gs://` pattern lists objects with `access` (default: boto3's own chain);
    a listing that fails raises `SourceError` naming the bucket and prefix."""
    if is_remote(pattern):
        return _list_objects(pattern, access or StoreAccess())
    found = []
    for name in sorted(glob.glob(resolve_pattern(pattern, base_dir), recursive=True)):
        path = Path(name)
        if path.is_file() and path.suffix.lower() in READERS:
            stat = path.stat()
            found.append(SourceFile(path=path, size=stat.st_size, mtime_ns=stat.st_mtime_ns))
    return found


def _list_objects(pattern: str, access: StoreAccess) -> list[SourceFile]:
    try:
        store = ObjectStore(access.for_source(None, pattern.partition("://")[0]))
        items = store.list(pattern)
    except StoreError as error:
        raise SourceError(error.location, error.problem) from error
    return [
        SourceFile(
            Path(item.bucket, *item.key.split("/")),
            item.size,
            item.modified_ns,
            RemoteFile(store, item),
        )
        for item in items
        if Path(item.key).suffix.lower() in READERS
    ]


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_file(
    path: Path,
    text_columns: Collection[str] = (),
    encoding: str | None = None,
    name: str | None = None,
) -> SourceRead:
    """All rows of one file, in file order; raises `SourceError` naming the file. In a CSV,
    `text_columns` (ids, categories) are read as written, never as numbers: `00042` stays
    `00042`. CSV and JSON lines are UTF-8 unless `encoding` names another (`latin-1`,
    `cp1252`, ...); a UTF-8 file with bytes that are not UTF-8 is refused, naming the line,
    rather than loaded with its characters replaced. Errors name the file by `name` (an
    object's URL, for its downloaded copy), else by its path."""
    where = name or str(path)
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise SourceError(where, f"unknown file type {path.suffix!r}; use .parquet, .csv or .jsonl")
    if path.stat().st_size == 0:
        raise SourceError(where, "the file is empty (0 bytes)")
    try:
        with _as_utf8(path, kind, encoding) as readable:
            read = _read(readable, kind, text_columns)
    except Exception as error:  # Polars raises many kinds for a bad file; all mean "unreadable"
        raise SourceError(where, f"cannot be read as {kind}: {_first_line(error)}") from error
    if kind != "parquet" and _is_utf8(encoding):
        _refuse_replaced_characters(path, read, where)
    return SourceRead(rows=_with_hive_columns(read.rows, path), unreadable=read.unreadable)


def _is_utf8(encoding: str | None) -> bool:
    return encoding is None or codecs.lookup(encoding).name == "utf-8"


@contextlib.contextmanager
def _as_utf8(path: Path, kind: str, encoding: str | None) -> Iterator[Path]:
    """The file itself, or (a text file in another encoding) a UTF-8 copy of it."""
    if kind == "parquet" or _is_utf8(encoding):
        yield path
        return
    assert encoding is not None
    text = path.read_bytes().decode(encoding)  # a byte the encoding lacks: a clear error
    with tempfile.TemporaryDirectory(prefix="bottomline-read-") as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        yield copy


def _refuse_replaced_characters(path: Path, read: SourceRead, where: str) -> None:
    """A file read as UTF-8 whose bytes are not (Latin-1's `Zürich` reads as `Z\ufffdrich`):
    refused, naming the line, so that no text is stored mangled. Looked for in the rows
    first (cheap); the bytes are decoded only when a replacement character is there."""
    texts = [name for name, dtype in read.rows.schema.items() if dtype == pl.String]
    replaced = (
        read.rows.select(
            pl.any_horizontal(pl.col(texts).str.contains(REPLACED, literal=True)).any()
        ).item()
        if texts
        else False
    )
    if not replaced and not read.unreadable["record"].str.contains(REPLACED, literal=True).any():
        return
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            where,
            f"line {line} is not UTF-8 text (byte 0x{data[error.start]:02x}); if the file is "
            "written in another encoding, name it on the source, e.g. "
            "`source: {path: ..., encoding: latin-1}`",
        ) from None


def _read(path: Path, kind: str, text_columns: Collection[str] = ()) -> SourceRead:
    nothing_unreadable = pl.DataFrame(schema=UNREADABLE_SCHEMA)
    if kind == "parquet":
        return SourceRead(_numbered(pl.read_parquet(path)), nothing_unreadable)
    if kind == "csv":
        return SourceRead(_numbered(_read_csv(path, text_columns)), nothing_unreadable)
    try:
        frame = pl.read_ndjson(path, infer_schema_length=GUESSED_FROM_ROWS)
    except pl.exceptions.ComputeError:
        return _read_json_lines_one_by_one(path)
    return SourceRead(_numbered(frame), nothing_unreadable)


def _read_csv(path: Path, text_columns: Collection[str]) -> pl.DataFrame:
    """A CSV with each column's type guessed from its first `GUESSED_FROM_ROWS` rows; when a
    later cell does not fit that guess, guessed again from every row (that column is then
    text, and standardising sets aside only the rows whose cell is not what the case needs)."""
    separator, header = _separator(path)
    options: dict[str, Any] = {
        "encoding": "utf8-lossy",
        "separator": separator,
        "schema_overrides": {name: pl.String for name in text_columns if name in header},
    }
    try:
        return pl.read_csv(path, infer_schema_length=GUESSED_FROM_ROWS, **options)
    except pl.exceptions.ComputeError:
        return pl.read_csv(path, infer_schema_length=None, **options)


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows with their number in the file (`source_row`, from 1)."""
    frame = without_row_column(frame)
    return frame.with_row_index("source_row", offset=1).with_columns(
        pl.col("source_row").cast(pl.Int64)
    )


def without_row_column(frame: pl.DataFrame) -> pl.DataFrame:
    """A file's own column named `source_row` (Bottomline's name for the row number) renamed
    `source_row (in the file)`, so that any column a file has can be read. (A case cannot use
    it: `source_row` is reserved.)"""
    if "source_row" not in frame.columns:
        return frame
    renamed = "source_row (in the file)"
    while renamed in frame.columns:
        renamed += "'"
    return frame.rename({"source_row": renamed})


def _separator(path: Path) -> tuple[str, list[str]]:
    """A comma, unless the header line plainly uses semicolons or tabs; and the header's
    column names."""
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    counts = {separator: header.count(separator) for separator in (",", ";", "\t")}
    best = max(counts, key=lambda separator: counts[separator])
    separator = best if counts[best] > counts[","] else ","
    names = [name.strip().strip('"') for name in header.rstrip("\r\n").split(separator)]
    return separator, names


def _read_json_lines_one_by_one(path: Path) -> SourceRead:
    """The slow path, for a file with broken lines: keep the good ones, name the bad ones."""
    good_lines: list[str] = []
    good_numbers: list[int] = []
    bad: list[tuple[int, str, str]] = []
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text:
                continue
            problem = _json_object_problem(text)
            if problem:
                bad.append((number, f"line {number} {problem}", text))
            else:
                good_lines.append(text)
                good_numbers.append(number)
    rows = pl.DataFrame()
    if good_lines:
        rows = pl.read_ndjson(
            io.StringIO("\n".join(good_lines)), infer_schema_length=GUESSED_FROM_ROWS
        )
    rows = without_row_column(rows).select(
        pl.Series("source_row", good_numbers, dtype=pl.Int64), pl.all()
    )
    return SourceRead(rows, pl.DataFrame(bad, schema=UNREADABLE_SCHEMA, orient="row"))


def _json_object_problem(text: str) -> str | None:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        return f"is not valid JSON ({error.msg} at character {error.pos + 1})"
    return None if isinstance(parsed, dict) else "is not a JSON object"


def _with_hive_columns(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    partitions = dict(part.split("=", 1) for part in path.parent.parts if "=" in part)
    missing = {key: value for key, value in partitions.items() if key not in frame.columns}
    return frame.with_columns(pl.lit(value).alias(key) for key, value in missing.items())


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
