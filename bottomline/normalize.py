"""From rows as a source file has them to the warehouse's standard columns.

Each file's rows are split into rows to load and rows to quarantine; every row read ends up
in exactly one of the two, with the reason and the column at fault for the second. A file
that lacks a column the case needs is a `SourceError` naming the file, the columns and the
keys that need them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from bottomline.config import BusinessCase
from bottomline.sources import SourceError

_AWARE_FORMATS = ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z"]
_NAIVE_FORMATS = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d"]
QUARANTINE_COLUMNS = ["source_row", "column_name", "reason", "record"]


@dataclass(frozen=True)
class Normalized:
    """One file's rows: `rows` to load (standard columns), `quarantined` with reasons."""

    rows: pl.DataFrame
    quarantined: pl.DataFrame
    rows_read: int


@dataclass(frozen=True)
class Check:
    """A row-level rule: rows where `failed` is true are quarantined with `reason`."""

    column: str
    failed: pl.Expr
    reason: pl.Expr


def normalize_predictions(
    raw: pl.DataFrame,
    case: BusinessCase,
    source_file: str,
) -> Normalized:
    """Standard prediction columns: id, time (UTC), day (case zone), score, decision, version."""
    spec = case.predictions
    needs = {
        "predictions.id": [spec.id],
        "predictions.timestamp": [spec.timestamp],
        "predictions.score": [spec.score],
        **case.extra_column_uses(),
    }
    if spec.decision:
        needs["predictions.decision"] = [spec.decision]
    if spec.model_version:
        needs["predictions.model_version"] = [spec.model_version]
    _require_columns(raw, needs, source_file)
    decision = (
        pl.col(spec.decision).cast(pl.Int8, strict=False)
        if spec.decision
        else (pl.col(spec.score).cast(pl.Float64, strict=False) >= spec.threshold).cast(pl.Int8)
    )
    version = (
        pl.col(spec.model_version).cast(pl.String).fill_null("unknown")
        if spec.model_version
        else pl.lit(None, pl.String)
    )
    standard = (
        raw.with_row_index("source_row", offset=1)
        .select(
            pl.col("source_row").cast(pl.Int64),
            _text_id(spec.id).alias("prediction_id"),
            utc_timestamp(raw.schema[spec.timestamp], spec.timestamp).alias("predicted_at"),
            pl.col(spec.score).cast(pl.Float64, strict=False).alias("score"),
            decision.alias("decision"),
            version.alias("model_version"),
            *[pl.col(column) for column in case.kept_columns()],
        )
        .with_columns(
            pl.col("predicted_at")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(case.timezone)
            .dt.date()
            .alias("day")
        )
    )
    checks = [
        _not_empty("prediction_id", spec.id),
        Check(
            spec.timestamp,
            pl.col("predicted_at").is_null(),
            pl.format("timestamp {} is empty or not a date-time", _shown(_raw(spec.timestamp))),
        ),
        Check(
            spec.score,
            ~_is_probability(pl.col("score")),
            pl.format("score {} is not a probability between 0 and 1", _shown(_raw(spec.score))),
        ),
        Check(
            spec.decision or spec.score,
            ~pl.col("decision").is_in([0, 1]).fill_null(False),
            pl.format("decision {} is not 0 or 1", _shown(_raw(spec.decision or spec.score))),
        ),
    ]
    return _split(raw, standard, checks, spec.id)


def normalize_outcomes(raw: pl.DataFrame, case: BusinessCase, source_file: str) -> Normalized:
    """Standard outcome columns: prediction id, label (0/1), observed_at (UTC, optional)."""
    spec = case.outcomes
    needs = {"outcomes.id": [spec.id], "outcomes.label": [spec.label]}
    if spec.timestamp:
        needs["outcomes.timestamp"] = [spec.timestamp]
    _require_columns(raw, needs, source_file)
    observed = (
        utc_timestamp(raw.schema[spec.timestamp], spec.timestamp)
        if spec.timestamp
        else pl.lit(None, pl.Datetime("us"))
    )
    standard = raw.with_row_index("source_row", offset=1).select(
        pl.col("source_row").cast(pl.Int64),
        _text_id(spec.id).alias("prediction_id"),
        _label(raw.schema[spec.label], spec.label).alias("label"),
        observed.alias("observed_at"),
    )
    checks = [
        _not_empty("prediction_id", spec.id),
        Check(
            spec.label,
            ~pl.col("label").is_in([0, 1]).fill_null(False),
            pl.format("label {} is not 0 or 1", _shown(_raw(spec.label))),
        ),
    ]
    return _split(raw, standard, checks, spec.id)


def utc_timestamp(dtype: pl.DataType, column: str) -> pl.Expr:
    """A timestamp column as naive UTC; naive inputs are taken to be UTC already."""
    source = pl.col(column)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone:
            return source.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return source.cast(pl.Datetime("us"))
    if isinstance(dtype, pl.Date):
        return source.cast(pl.Datetime("us"))
    if dtype == pl.String:
        text = source.str.strip_chars()
        parsed = [
            text.str.to_datetime(
                f, strict=False, time_zone="UTC", time_unit="us"
            ).dt.replace_time_zone(None)
            for f in _AWARE_FORMATS
        ]
        parsed += [text.str.to_datetime(f, strict=False, time_unit="us") for f in _NAIVE_FORMATS]
        return pl.coalesce(parsed)
    return pl.lit(None, pl.Datetime("us"))


def _text_id(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _label(dtype: pl.DataType, column: str) -> pl.Expr:
    if dtype == pl.String:
        return (
            pl.col(column)
            .str.strip_chars()
            .cast(pl.Float64, strict=False)
            .cast(pl.Int8, strict=False)
        )
    return pl.col(column).cast(pl.Int8, strict=False)


def _is_probability(score: pl.Expr) -> pl.Expr:
    return (score.is_finite() & (score >= 0.0) & (score <= 1.0)).fill_null(False)


def _not_empty(standard: str, column: str) -> Check:
    return Check(column, pl.col(standard).is_null(), pl.lit("id is empty"))


def _raw(column: str) -> pl.Expr:
    """A column as the source file had it (checks run beside the standard columns)."""
    return pl.col(f"raw:{column}")


def _shown(value: pl.Expr) -> pl.Expr:
    return pl.format("'{}'", value.cast(pl.String).fill_null("null"))


def _require_columns(raw: pl.DataFrame, needs: dict[str, list[str]], source_file: str) -> None:
    missing: dict[str, list[str]] = {}
    for key, columns in needs.items():
        for column in columns:
            if column not in raw.columns:
                missing.setdefault(column, []).append(key)
    if missing:
        listed = ", ".join(
            f"'{column}' (needed by {', '.join(keys)})" for column, keys in missing.items()
        )
        raise SourceError(
            source_file,
            f"missing column(s) {listed}; the file has {', '.join(raw.columns) or 'no columns'}",
        )


def _split(
    raw: pl.DataFrame,
    standard: pl.DataFrame,
    checks: list[Check],
    id_column: str,
) -> Normalized:
    """Apply the checks (first failure wins), then quarantine all but the last row of an id."""
    reason = pl.coalesce([pl.when(check.failed).then(check.reason) for check in checks])
    column = pl.coalesce([pl.when(check.failed).then(pl.lit(check.column)) for check in checks])
    raw_view = raw.select(pl.all().name.prefix("raw:"))
    labelled = pl.concat([standard, raw_view], how="horizontal").with_columns(
        reason.alias("reason"), column.alias("column_name")
    )
    valid = labelled.filter(pl.col("reason").is_null())
    last_row = valid.group_by("prediction_id").agg(pl.col("source_row").max().alias("kept_row"))
    valid = (
        valid.join(last_row, on="prediction_id")
        .with_columns(
            pl.when(pl.col("source_row") != pl.col("kept_row"))
            .then(pl.format("id repeats later in the same file (row {} kept)", pl.col("kept_row")))
            .alias("reason"),
            pl.when(pl.col("source_row") != pl.col("kept_row"))
            .then(pl.lit(id_column))
            .alias("column_name"),
        )
        .drop("kept_row")
    )
    labelled = pl.concat(
        [labelled.filter(pl.col("reason").is_not_null()), valid], how="diagonal_relaxed"
    ).sort("source_row")
    record = pl.struct(pl.col(f"raw:{name}").alias(name) for name in raw.columns)
    quarantined = labelled.filter(pl.col("reason").is_not_null()).select(
        "source_row", "column_name", "reason", record.struct.json_encode().alias("record")
    )
    rows = labelled.filter(pl.col("reason").is_null()).select(standard.columns)
    return Normalized(rows=rows, quarantined=quarantined, rows_read=raw.height)
