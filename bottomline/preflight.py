"""Before a run: does the business case name columns its sources really have?

Only the first file of each source is opened, and only its column names are read (the
Parquet schema, the CSV header, the first JSON line). A column the case names but the file
lacks is a config error naming the case file, the line and the key, with the nearest column.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import polars as pl

from bottomline.config import BusinessCase
from bottomline.config_errors import ConfigError, read_yaml
from bottomline.sources import READERS, list_files


def source_columns(path: Path) -> list[str] | None:
    """A file's column names, or None when they cannot be read cheaply (then ingest says why)."""
    kind = READERS.get(path.suffix.lower())
    try:
        if kind == "parquet":
            return list(pl.read_parquet_schema(path))
        if kind == "csv":
            return pl.read_csv(path, n_rows=0, encoding="utf8-lossy").columns
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            first = next((line for line in handle if line.strip()), "")
        parsed = json.loads(first) if first else {}
        return list(parsed) if isinstance(parsed, dict) else None
    except (OSError, ValueError, pl.exceptions.PolarsError):
        return None


def check_columns(case: BusinessCase) -> None:
    """Raise ConfigError when a source's first file lacks a column the case names. (Database
    sources are checked when read: a missing column stops their ingest, naming it.)"""
    for kind, source, keys in (
        ("predictions", case.predictions.source, case.prediction_column_uses()),
        ("outcomes", case.outcomes.source, case.outcome_column_uses()),
    ):
        if source.path is None:
            continue
        files = list_files(source.path, case.base_dir)
        columns = source_columns(files[0].path) if files else None
        if columns is not None:
            _check(case, kind, files[0].path, columns, keys)


def _check(
    case: BusinessCase, kind: str, path: Path, columns: list[str], keys: dict[str, list[str]]
) -> None:
    for key, names in keys.items():
        for name in names:
            if name in columns:
                continue
            nearest = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
            hint = f"; did you mean '{nearest[0]}'?" if nearest else ""
            raise ConfigError(
                case.path,
                _line(case, key),
                key,
                f"column '{name}' is not in the {kind} source (its first file, {path.name}, "
                f"has {', '.join(columns)}){hint}",
            )


def _line(case: BusinessCase, key: str) -> int | None:
    parts: tuple[str | int, ...] = tuple(key.split("."))
    return read_yaml(case.path).line_of(parts) if case.path.is_file() else None
