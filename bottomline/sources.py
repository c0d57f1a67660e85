"""Source files: finding them, fingerprinting them, and reading them into Polars.

Paths in a business case may be globs (`predictions/*/*.parquet`, `**` for any depth) and are
read relative to the case file's folder. Hive-style folders (`date=2026-05-01/`) add their
key as a text column when the file does not already have it.
"""

from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

READERS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}


class SourceError(Exception):
    """A source file that cannot be used, and why; names the file."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class SourceFile:
    """A file found for a source, with what identifies its version."""

    path: Path
    size: int  # bytes
    mtime_ns: int


def resolve_pattern(pattern: str, base_dir: Path) -> str:
    """The pattern as an absolute glob (relative ones are read from `base_dir`)."""
    expanded = Path(pattern).expanduser()
    return str(expanded if expanded.is_absolute() else (base_dir / expanded).resolve())


def list_files(pattern: str, base_dir: Path) -> list[SourceFile]:
    """Files matching the pattern, sorted by path; folders and unknown suffixes are skipped."""
    found = []
    for name in sorted(glob.glob(resolve_pattern(pattern, base_dir), recursive=True)):
        path = Path(name)
        if path.is_file() and path.suffix.lower() in READERS:
            stat = path.stat()
            found.append(SourceFile(path=path, size=stat.st_size, mtime_ns=stat.st_mtime_ns))
    return found


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_file(path: Path) -> pl.DataFrame:
    """All rows of one file, in file order; raises `SourceError` naming the file."""
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise SourceError(path, f"unknown file type {path.suffix!r}; use .parquet, .csv or .jsonl")
    try:
        frame = _read(path, kind)
    except SourceError:
        raise
    except Exception as error:  # Polars raises many kinds for a bad file; all mean "unreadable"
        raise SourceError(path, f"cannot be read as {kind}: {_first_line(error)}") from error
    return _with_hive_columns(frame, path)


def _read(path: Path, kind: str) -> pl.DataFrame:
    if path.stat().st_size == 0:
        raise SourceError(path, "the file is empty (0 bytes)")
    if kind == "parquet":
        return pl.read_parquet(path)
    if kind == "csv":
        return pl.read_csv(path, infer_schema_length=10000, encoding="utf8-lossy")
    return pl.read_ndjson(path, infer_schema_length=10000)


def _with_hive_columns(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    partitions = dict(part.split("=", 1) for part in path.parent.parts if "=" in part)
    missing = {key: value for key, value in partitions.items() if key not in frame.columns}
    return frame.with_columns(pl.lit(value).alias(key) for key, value in missing.items())


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
