"""Before a run: does the business case name columns its sources really have?

A few files of each source are opened (the first, the newest and up to three between them),
and only their column names are read (the Parquet schema, the CSV header, the first JSON
line). A column the case names that none of them has is a config error naming the case file,
the line and the key, with the nearest column. A column only some of them lack is a problem of
those files, not of the case: ingest names each such file and loads the others.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.case.errors import ConfigError, read_yaml
from bottomline.ingest.sources import READERS, list_files


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


SAMPLED_FILES = 5  # files of a source whose columns are read before a run


def check_files(case: BusinessCase) -> None:
    """Raise ConfigError when the reference's path matches no file (a typo, or the file not
    where the case says): named with the case file's line, not a traceback later. Prediction
    and outcome paths may match nothing yet (a new model, outcomes months away): ingest says
    so in the report. Object storage is not listed here: this check runs before the run's
    credentials are known (the CLI's), and a missing object is the run's to report."""
    source = case.reference.source
    if (
        source is not None
        and source.path is not None
        and not source.remote  # a bucket is listed by the run, with the run's credentials
        and not list_files(source.path, case.base_dir)
    ):
        raise ConfigError(
            case.path,
            _line(case, "reference.source.path") or _line(case, "reference.source"),
            "reference.source.path",
            f"no file matches {source.path!r} (looked in {case.base_dir.resolve()})",
        )


def check_columns(case: BusinessCase) -> None:
    """Raise ConfigError when the reference file is missing, or when no sampled file of a
    source has a column the case names. (Database sources are checked when read: a missing
    column stops their ingest, naming it.)"""
    check_files(case)
    for kind, source, keys in (
        ("predictions", case.predictions.source, case.prediction_column_uses()),
        ("outcomes", case.outcomes.source, case.outcome_column_uses()),
    ):
        if source.path is None or source.remote:  # objects: checked when read (a download each)
            continue
        files = [item.path for item in list_files(source.path, case.base_dir)]
        sampled = [(path, source_columns(path)) for path in sampled_files(files)]
        readable = [(path, columns) for path, columns in sampled if columns is not None]
        if readable:
            _check(case, kind, readable, keys)


def sampled_files(files: list[Path], most: int = SAMPLED_FILES) -> list[Path]:
    """The first and the last of the files and evenly spaced ones between, `most` in all."""
    if len(files) <= most:
        return files
    step = (len(files) - 1) / (most - 1)
    return [files[round(number * step)] for number in range(most)]


def _check(
    case: BusinessCase,
    kind: str,
    readable: list[tuple[Path, list[str]]],
    keys: dict[str, list[str]],
) -> None:
    newest, columns = readable[-1]
    for key, names in keys.items():
        for name in names:
            if any(name in file_columns for _, file_columns in readable):
                continue
            nearest = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
            hint = f"; did you mean '{nearest[0]}'?" if nearest else ""
            looked_at = (
                f"its file {newest.name}"
                if len(readable) == 1
                else f"none of the {len(readable)} files looked at has it; the newest, "
                f"{newest.name},"
            )
            raise ConfigError(
                case.path,
                _line(case, key),
                key,
                f"column '{name}' is not in the {kind} source ({looked_at} has "
                f"{', '.join(columns)}){hint}",
            )


def _line(case: BusinessCase, key: str) -> int | None:
    parts: tuple[str | int, ...] = tuple(key.split("."))
    return read_yaml(case.path).line_of(parts) if case.path.is_file() else None
