"""From rows as a source file has them to the warehouse's standard columns.

Standardizing only converts: a value that cannot be converted becomes missing, and the
validation rules (`bottomline.validation.rules`) decide what that means and say why, quoting
the value as read from the `raw:<column>` copy kept beside each standard column. A file that
lacks a column the case needs is a `SourceError` naming the file, the columns, the keys that
need them, and the nearest columns the file does have.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.case.pii import WITHHELD, hash_personal_columns
from bottomline.ingest.sources import SourceError, SourceRead
from bottomline.validation.profile import Kind

AMOUNT_LIMIT = 1e15  # a value input this large is a logging error, not an amount
# ISO 8601, with or without seconds (2026-11-29T10:00 is ISO too), with or without a zone
_AWARE_FORMATS = [
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M%#z",
    "%Y-%m-%d %H:%M%#z",
]
_NAIVE_FORMATS = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
RAW = "raw:"


@dataclass(frozen=True)
class Standardized:
    """One file's rows in standard columns, with the raw values and where each row came from."""

    source_file: str
    rows: pl.DataFrame  # standard columns, kept columns, raw:<column>, source_file, source_row
    raw_columns: list[str]  # the file's own column names, in order
    unreadable: pl.DataFrame  # rows that could not be parsed at all (source_row, reason, record)


def raw(column: str) -> pl.Expr:
    """A column as the source file had it."""
    return pl.col(f"{RAW}{column}")


def without_personal_values(read: SourceRead, case: BusinessCase) -> SourceRead:
    """The rows with the case's personal columns hashed, and unparsable lines without their
    text (they may hold personal values the parser could not find)."""
    if not case.pii:
        return read
    rows = hash_personal_columns(read.rows, case.pii, case.pii_key)
    unreadable = read.unreadable.with_columns(pl.lit(WITHHELD).alias("record"))
    return SourceRead(rows, unreadable)


def standardize_predictions(
    read: SourceRead, case: BusinessCase, source_file: str, kinds: dict[str, Kind]
) -> Standardized:
    """Standard columns: prediction_id, predicted_at (UTC), day (case zone), score (a
    regression model's predicted amount), decision (NULL for regression), model_version, and
    the case's kept columns typed as `kinds` says. Personal columns (`pii`) are hashed first,
    raw copies included (see bottomline.case.pii)."""
    read = without_personal_values(read, case)
    spec = case.predictions
    frame = read.rows
    _require_columns(frame, case.prediction_column_uses(), source_file)
    value_inputs = case.value.columns()
    extra: list[pl.Expr] = []
    if case.is_multiclass:
        score, decision, total = multiclass_output(case)
        extra = [total.alias("scores_total")]  # checked against 1, not stored
        value_inputs = value_inputs | set(case.score_columns)  # kept as numbers
    elif case.is_regression:
        amount = pl.col(case.output_column).cast(pl.Float64, strict=False)
        score = pl.when(amount.is_finite()).then(amount)  # inf and NaN are no amount
        decision = pl.lit(None, pl.Int8)
    else:
        score = pl.col(case.output_column).cast(pl.Float64, strict=False)
        decision = (
            _small_integer(frame.schema[spec.decision], spec.decision)
            if spec.decision
            else (score >= spec.threshold).cast(pl.Int8)
        )
    version = (
        pl.col(spec.model_version).cast(pl.String).fill_null("unknown")
        if spec.model_version
        else pl.lit(None, pl.String)
    )
    timestamp = utc_timestamp(frame.schema[spec.timestamp], spec.timestamp, spec.timestamp_format)
    standard = [
        _text_id(spec.id).alias("prediction_id"),
        timestamp.alias("predicted_at"),
        score.alias("score"),
        decision.alias("decision"),
        version.alias("model_version"),
        *[
            _amount(column)
            if column in value_inputs
            else _typed(column, kinds.get(column, "categorical"))
            for column in case.kept_columns()
        ],
        *extra,
    ]
    return _standardized(read, source_file, standard, day_zone=case.timezone)


def class_index(column: str, classes: list[str]) -> pl.Expr:
    """A column of class names as each class's place in `classes` (Int8); null for a value
    that is none of them (its row is set aside by the rule that reads it)."""
    places = {name: place for place, name in enumerate(classes)}
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return text.replace_strict(places, default=None, return_dtype=pl.Int8)


def multiclass_output(case: BusinessCase) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """A multiclass model's score (the probability of the decided class), decision (the
    decided class's place: the case's decision column, else the most likely class) and the
    sum of its class probabilities (checked against 1)."""
    scores = [pl.col(column).cast(pl.Float64, strict=False) for column in case.score_columns]
    decided = case.predictions.decision
    if decided:
        decision = class_index(decided, case.class_names)
    else:
        decision = pl.concat_list(scores).list.arg_max().cast(pl.Int8)
    score = pl.lit(None, pl.Float64)
    for place, probability in reversed(list(enumerate(scores))):
        score = pl.when(decision == place).then(probability).otherwise(score)
    return score, decision, pl.sum_horizontal(scores)


def standardize_outcomes(read: SourceRead, case: BusinessCase, source_file: str) -> Standardized:
    """Standard columns: prediction_id, label (0/1; NULL for regression), actual (a regression
    model's actual amount), observed_at (UTC, optional)."""
    spec = case.outcomes
    frame = read.rows
    _require_columns(frame, case.outcome_column_uses(), source_file)
    observed = (
        utc_timestamp(frame.schema[spec.timestamp], spec.timestamp, spec.timestamp_format)
        if spec.timestamp
        else pl.lit(None, pl.Datetime("us"))
    )
    column = case.outcome_column
    if case.is_multiclass:
        outcome = [class_index(column, case.class_names).alias("label")]
    elif case.is_regression:
        actual = pl.col(column).cast(pl.Float64, strict=False)
        outcome = [
            pl.lit(None, pl.Int8).alias("label"),
            pl.when(actual.is_finite()).then(actual).alias("actual"),
        ]
    else:
        outcome = [_small_integer(frame.schema[column], column).alias("label")]
    standard = [_text_id(spec.id).alias("prediction_id"), *outcome, observed.alias("observed_at")]
    return _standardized(read, source_file, standard, day_zone=None)


def _standardized(
    read: SourceRead, source_file: str, standard: list[pl.Expr], day_zone: str | None
) -> Standardized:
    frame = read.rows
    raw_columns = [column for column in frame.columns if column != "source_row"]
    rows = frame.select(
        pl.lit(source_file).alias("source_file"),
        pl.col("source_row"),
        *standard,
        *[pl.col(column).alias(f"{RAW}{column}") for column in raw_columns],
    )
    if day_zone is not None:
        rows = rows.with_columns(
            pl.col("predicted_at")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(day_zone)
            .dt.date()
            .alias("day")
        )
    return Standardized(source_file, rows, raw_columns, read.unreadable)


def utc_timestamp(dtype: pl.DataType, column: str, text_format: str | None = None) -> pl.Expr:
    """A timestamp column as naive UTC. Naive inputs are taken to be UTC; whole numbers are
    seconds (or milliseconds, microseconds) since 1970, also when written as text; text is ISO
    8601 or `text_format`."""
    source = pl.col(column)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone:
            return source.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return source.cast(pl.Datetime("us"))
    if isinstance(dtype, pl.Date):
        return source.cast(pl.Datetime("us"))
    if dtype.is_integer():
        return _from_epoch(source.cast(pl.Int64))
    if dtype == pl.String:
        text = source.str.strip_chars()
        formats = [text_format] if text_format else []
        parsed = [
            text.str.to_datetime(
                f, strict=False, time_zone="UTC", time_unit="us"
            ).dt.replace_time_zone(None)
            for f in [*formats, *_AWARE_FORMATS]
            if "%z" in f or "%#z" in f
        ]
        parsed += [
            text.str.to_datetime(f, strict=False, time_unit="us")
            for f in [*formats, *_NAIVE_FORMATS]
            if "%z" not in f and "%#z" not in f
        ]
        # whole numbers written as text (a CSV column read as text, a JSON string) are epochs
        epoch = pl.when(text.str.contains(r"^-?\d+$")).then(text.cast(pl.Int64, strict=False))
        return pl.coalesce([*parsed, _from_epoch(epoch)])
    return pl.lit(None, pl.Datetime("us"))


def _from_epoch(number: pl.Expr) -> pl.Expr:
    """Seconds, milliseconds or microseconds since 1970, told apart by size."""
    magnitude = number.abs()
    microseconds = (
        pl.when(magnitude < 10**11)
        .then(number * 1_000_000)
        .when(magnitude < 10**14)
        .then(number * 1_000)
        .otherwise(number)
    )
    return microseconds.cast(pl.Datetime("us"))


def _text_id(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _small_integer(dtype: pl.DataType, column: str) -> pl.Expr:
    """0/1 columns from booleans, numbers or text ("1", " 0 ", "1.0")."""
    if dtype == pl.String:
        number = pl.col(column).str.strip_chars().cast(pl.Float64, strict=False)
    else:
        number = pl.col(column).cast(pl.Float64, strict=False)
    whole = pl.when(number == number.round()).then(number)
    return whole.cast(pl.Int8, strict=False)


def _amount(column: str) -> pl.Expr:
    """A value rule's input as a number; inf, NaN and magnitudes of `AMOUNT_LIMIT` or more
    (1e308 passed before, and its square made every figure infinite) are no number at all, so
    the row is set aside by the value-input rule."""
    number = pl.col(column).cast(pl.Float64, strict=False)
    return pl.when(number.is_finite() & (number.abs() < AMOUNT_LIMIT)).then(number).alias(column)


def _typed(column: str, kind: Kind) -> pl.Expr:
    if kind == "numeric":
        return pl.col(column).cast(pl.Float64, strict=False).alias(column)
    return pl.col(column).cast(pl.String).alias(column)


def _require_columns(
    raw_frame: pl.DataFrame, needs: dict[str, list[str]], source_file: str
) -> None:
    present = [column for column in raw_frame.columns if column != "source_row"]
    missing: dict[str, list[str]] = {}
    for key, columns in needs.items():
        for column in columns:
            if column not in present:
                missing.setdefault(column, []).append(key)
    if not missing:
        return
    described = []
    for column, keys in missing.items():
        nearest = difflib.get_close_matches(column, present, n=1, cutoff=0.6)
        hint = f", did you mean '{nearest[0]}'?" if nearest else ""
        described.append(f"'{column}' (needed by {', '.join(keys)}{hint})")
    has = ", ".join(present) or "no columns"
    raise SourceError(source_file, f"missing column(s) {'; '.join(described)}; the file has {has}")
