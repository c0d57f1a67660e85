"""Validate a batch of newly read files: derive context flags, run the rules with GX, and
split the rows into those to load and those to set aside (with rule, column and reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Protocol

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import RAW, Standardized
from bottomline.ingest.stored_ids import distinct_ids
from bottomline.validation.checks import failing_rows
from bottomline.validation.derive import (
    outcome_flags,
    prediction_flags,
    repeats_in_file,
)
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
class SplitRows:
    rows: pl.DataFrame  # to load, with source_file and source_row
    rejected: pl.DataFrame  # to set aside, see REJECTED_SCHEMA


@dataclass(frozen=True)
class ValidatedBatch(SplitRows):
    results: list[RuleResult]


@dataclass(frozen=True)
class BatchContext:
    case: BusinessCase
    now: dt.datetime  # UTC, naive
    as_of: dt.date | None
    profile: ReferenceProfile | None


@dataclass(frozen=True)
class CheckedBatch:
    """A batch's rows with the derived flags its rules read, ready for GX and for the split
    (which depends on the rules, not on GX: GX reports, the split decides)."""

    suite: str
    rules: list[Rule]
    frame: pl.DataFrame
    files: list[Standardized]
    keep: list[str]  # columns loaded
    with_day: bool  # rows set aside carry their day


def check_predictions(
    files: list[Standardized], context: BatchContext, loaded_elsewhere: pl.Series
) -> CheckedBatch:
    """Predictions of the files; `loaded_elsewhere`: ids already stored from other files."""
    rules = prediction_rules(context.case, context.profile)
    earlier = rules[: _index(rules, "id_unique_in_file")]
    # A regression rule is checked at a perfect forecast (actual = prediction): its actual
    # is not known yet, and a division by a zero input shows there as anywhere.
    forecast = {"prediction": pl.col("score"), "actual": pl.col("score")}
    values = [rule.to_polars(forecast) for rule in context.case.value.cells().values()]

    def flags(rows: pl.DataFrame, distinct: bool) -> pl.DataFrame:
        flagged = prediction_flags(
            rows,
            context.now,
            context.as_of,
            loaded_elsewhere,
            distinct,
            values,
            context.case.predictions.not_before,
        )
        return repeats_in_file(flagged, earlier, distinct)

    keep = PREDICTION_COLUMNS + context.case.kept_columns()
    return CheckedBatch("predictions", rules, _flagged(files, flags), files, keep, with_day=True)


def check_outcomes(
    files: list[Standardized],
    context: BatchContext,
    ids_with_prediction: pl.Series,
    every_id_has_prediction: bool = False,
) -> CheckedBatch:
    """Outcomes of the files; `ids_with_prediction`: their ids with a stored prediction (all
    of them, when `every_id_has_prediction`)."""
    rules = outcome_rules(context.case)
    earlier = rules[: _index(rules, "id_unique_in_file")]
    outcome = context.case.outcome_key  # the standard column: label, or actual

    def flags(rows: pl.DataFrame, distinct: bool) -> pl.DataFrame:
        flagged = outcome_flags(
            rows, ids_with_prediction, distinct, every_id_has_prediction, outcome
        )
        return repeats_in_file(flagged, earlier, distinct)

    batch = _flagged(files, flags)
    kept = [*OUTCOME_COLUMNS, "actual"] if outcome == "actual" else OUTCOME_COLUMNS
    return CheckedBatch("outcomes", rules, batch, files, kept, with_day=False)


def _flagged(
    files: list[Standardized], flags: Callable[[pl.DataFrame, bool], pl.DataFrame]
) -> pl.DataFrame:
    """The files' rows, in file order, with the flags `flags(rows, distinct)` adds. When no id
    comes twice the flags are row by row, and each file gets its own: adding columns to rows
    of several files would first copy every column of them into one piece."""
    distinct = distinct_ids(pl.concat([file.rows["prediction_id"] for file in files]))
    if distinct and len(files) > 1:
        return pl.concat([flags(file.rows, True) for file in files], how="diagonal_relaxed")
    return flags(_concat(files), distinct)


def run_rules(checked: CheckedBatch, validator: Validator) -> list[RuleResult]:
    """Every rule's result on the batch, from GX."""
    return validator.validate(checked.suite, checked.rules, checked.frame)


def validate_predictions(
    files: list[Standardized],
    context: BatchContext,
    loaded_elsewhere: pl.Series,
    validator: Validator,
) -> ValidatedBatch:
    checked = check_predictions(files, context, loaded_elsewhere)
    return ValidatedBatch(**vars(split_rows(checked)), results=run_rules(checked, validator))


def validate_outcomes(
    files: list[Standardized],
    context: BatchContext,
    ids_with_prediction: pl.Series,
    validator: Validator,
) -> ValidatedBatch:
    checked = check_outcomes(files, context, ids_with_prediction)
    return ValidatedBatch(**vars(split_rows(checked)), results=run_rules(checked, validator))


def _index(rules: list[Rule], key: str) -> int:
    return next(number for number, rule in enumerate(rules) if rule.key == key)


def _concat(files: list[Standardized]) -> pl.DataFrame:
    return pl.concat([file.rows for file in files], how="diagonal_relaxed")


def split_rows(checked: CheckedBatch) -> SplitRows:
    """Rows breaking a critical rule are set aside with the first such rule's reason."""
    parts = [_split_file(rows, file, checked) for rows, file in _by_file(checked)]
    return SplitRows(
        rows=pl.concat([part.rows for part in parts], how="vertical_relaxed"),
        rejected=pl.concat([part.rejected for part in parts], how="vertical_relaxed"),
    )


def split_files(checked: CheckedBatch) -> list[SplitRows]:
    """`split_rows` for each file of the batch (in the batch's order), without `source_file`."""
    return [
        SplitRows(*(frame.drop("source_file") for frame in (part.rows, part.rejected)))
        for part in (_split_file(rows, file, checked) for rows, file in _by_file(checked))
    ]


def _by_file(checked: CheckedBatch) -> Iterator[tuple[pl.DataFrame, Standardized]]:
    """Each file's rows of the batch (in file order): slices, not copies."""
    offset = 0
    for file in checked.files:
        yield checked.frame.slice(offset, file.rows.height), file
        offset += file.rows.height


def _split_file(rows: pl.DataFrame, file: Standardized, checked: CheckedBatch) -> SplitRows:
    critical = [rule for rule in checked.rules if rule.severity == "critical"]
    verdicts = [(rule, failing_rows(rule.check, rows.schema)) for rule in critical]
    first = [(rule, failing) for rule, failing in verdicts if failing is not None]
    labelled = rows.with_columns(
        pl.coalesce([pl.when(f).then(pl.lit(rule.key)) for rule, f in first]).alias("_rule"),
        pl.coalesce([pl.when(f).then(rule.reason) for rule, f in first]).alias("_reason"),
        pl.coalesce([pl.when(f).then(pl.lit(rule.blame)) for rule, f in first]).alias("_column"),
    )
    set_aside = labelled.filter(pl.col("_rule").is_not_null())
    # Usually no row is set aside: then the rows to load are the file's own, not a copy.
    loaded = labelled.filter(pl.col("_rule").is_null()) if set_aside.height else labelled
    rejected = [_rejected(set_aside, file, checked.with_day), _unreadable(file)]
    return SplitRows(
        rows=loaded.select(checked.keep),
        rejected=pl.concat(rejected, how="vertical_relaxed"),
    )


def _rejected(set_aside: pl.DataFrame, file: Standardized, with_day: bool) -> pl.DataFrame:
    """The file's rejected rows, each with the row as the file had it (JSON)."""
    record = pl.struct([pl.col(f"{RAW}{column}").alias(column) for column in file.raw_columns])
    return set_aside.select(
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
