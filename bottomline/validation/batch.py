"""Validate a batch of newly read files: derive context flags, run the rules with GX, and
split the rows into those to load and those to set aside (with rule, column and reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from typing import Protocol

import polars as pl

from bottomline.config import BusinessCase
from bottomline.normalize import RAW, Standardized
from bottomline.validation.checks import failing_rows
from bottomline.validation.derive import outcome_flags, prediction_flags, repeats_in_file
from bottomline.validation.gx_runner import RuleResult
from bottomline.validation.profile import ReferenceProfile
from bottomline.validation.rules import Rule, outcome_rules, prediction_rules

REJECTED_SCHEMA = {
    "source_file": pl.String,
    "source_row": pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "reason": pl.String,
    "record": pl.String,
    "day": pl.Date,
}
PREDICTION_COLUMNS = [
    "source_file",
    "source_row",
    "prediction_id",
    "predicted_at",
    "day",
    "score",
    "decision",
    "model_version",
]
OUTCOME_COLUMNS = ["source_file", "source_row", "prediction_id", "label", "observed_at"]


class Validator(Protocol):
    def validate(self, suite: str, rules: list[Rule], frame: pl.DataFrame) -> list[RuleResult]: ...


@dataclass(frozen=True)
class ValidatedBatch:
    rows: pl.DataFrame  # to load, with source_file and source_row
    rejected: pl.DataFrame  # to set aside, see REJECTED_SCHEMA
    results: list[RuleResult]


@dataclass(frozen=True)
class BatchContext:
    case: BusinessCase
    now: dt.datetime  # UTC, naive
    as_of: dt.date | None
    profile: ReferenceProfile | None


def validate_predictions(
    files: list[Standardized],
    context: BatchContext,
    loaded_elsewhere: pl.Series,
    validator: Validator,
) -> ValidatedBatch:
    """Predictions of the files; `loaded_elsewhere`: ids already stored from other files."""
    rules = prediction_rules(context.case, context.profile)
    batch = prediction_flags(_concat(files), context.now, context.as_of, loaded_elsewhere)
    batch = repeats_in_file(batch, rules[: _index(rules, "id_unique_in_file")])
    results = validator.validate("predictions", rules, batch)
    keep = PREDICTION_COLUMNS + context.case.kept_columns()
    return _split(batch, rules, files, keep, with_day=True, results=results)


def validate_outcomes(
    files: list[Standardized],
    context: BatchContext,
    ids_with_prediction: pl.Series,
    validator: Validator,
) -> ValidatedBatch:
    rules = outcome_rules(context.case)
    batch = outcome_flags(_concat(files), ids_with_prediction)
    batch = repeats_in_file(batch, rules[: _index(rules, "id_unique_in_file")])
    results = validator.validate("outcomes", rules, batch)
    return _split(batch, rules, files, OUTCOME_COLUMNS, with_day=False, results=results)


def _index(rules: list[Rule], key: str) -> int:
    return next(number for number, rule in enumerate(rules) if rule.key == key)


def _concat(files: list[Standardized]) -> pl.DataFrame:
    return pl.concat([file.rows for file in files], how="diagonal_relaxed")


def _split(
    batch: pl.DataFrame,
    rules: list[Rule],
    files: list[Standardized],
    keep: list[str],
    *,
    with_day: bool,
    results: list[RuleResult],
) -> ValidatedBatch:
    """Rows breaking a critical rule are set aside with the first such rule's reason."""
    critical = [rule for rule in rules if rule.severity == "critical"]
    verdicts = [(rule, failing_rows(rule.check, batch.schema)) for rule in critical]
    first = [(rule, failing) for rule, failing in verdicts if failing is not None]
    labelled = batch.with_columns(
        pl.coalesce([pl.when(f).then(pl.lit(rule.key)) for rule, f in first]).alias("_rule"),
        pl.coalesce([pl.when(f).then(rule.reason) for rule, f in first]).alias("_reason"),
        pl.coalesce([pl.when(f).then(pl.lit(rule.blame)) for rule, f in first]).alias("_column"),
    )
    rows = labelled.filter(pl.col("_rule").is_null()).select(keep)
    rejected = [
        _rejected(labelled.filter(pl.col("_rule").is_not_null()), file, with_day) for file in files
    ]
    rejected += [_unreadable(file) for file in files]
    return ValidatedBatch(
        rows=rows, rejected=pl.concat(rejected, how="vertical_relaxed"), results=results
    )


def _rejected(labelled: pl.DataFrame, file: Standardized, with_day: bool) -> pl.DataFrame:
    """The file's rejected rows, each with the row as the file had it (JSON)."""
    rows = labelled.filter(pl.col("source_file") == file.source_file)
    record = pl.struct([pl.col(f"{RAW}{column}").alias(column) for column in file.raw_columns])
    return rows.select(
        "source_file",
        "source_row",
        pl.col("_column").alias("column_name"),
        pl.col("_rule").alias("rule"),
        pl.col("_reason").alias("reason"),
        record.struct.json_encode().alias("record")
        if file.raw_columns
        else pl.lit("{}").alias("record"),
        (pl.col("day") if with_day else pl.lit(None, pl.Date)).alias("day"),
    ).cast(REJECTED_SCHEMA)  # type: ignore[arg-type]


def _unreadable(file: Standardized) -> pl.DataFrame:
    return file.unreadable.select(
        pl.lit(file.source_file).alias("source_file"),
        "source_row",
        pl.lit(None, pl.String).alias("column_name"),
        pl.lit("row_readable").alias("rule"),
        "reason",
        "record",
        pl.lit(None, pl.Date).alias("day"),
    ).cast(REJECTED_SCHEMA)  # type: ignore[arg-type]


def any_failing(rules: list[Rule], schema: pl.Schema) -> pl.Expr:
    """True for rows that break any of the rules (for tests and cross-checks)."""
    failing = [failing_rows(rule.check, schema) for rule in rules]
    return reduce(lambda a, b: a | b, [f for f in failing if f is not None], pl.lit(False))
