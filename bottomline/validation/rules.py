"""The validation rules of a business case, in plain words, each with a severity.

Critical rules set the offending rows aside (quarantine), with a reason that quotes the value
as read; warnings are only reported. Rules come in priority order: a row that breaks several
critical rules is set aside with the reason of the first. Contextual conditions (a timestamp
in the future, an id repeated later in its file, two labels for one id) are boolean columns
added by `derive` and checked like any other column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import raw
from bottomline.validation.checks import Between, Check, InSet, NotNull, RowCountAtLeast
from bottomline.validation.profile import ReferenceProfile
from bottomline.validation.shown_values import LONGEST_SHOWN

Severity = Literal["critical", "warning"]
NULL_RATE_TOLERANCE = 0.05  # a feature may miss values in 5 points more rows than the reference
RANGE_MARGIN = 0.5  # "far outside": beyond the reference range widened by half its width


@dataclass(frozen=True)
class Rule:
    """One check on one suite; `reason` says why a row is set aside (critical rules)."""

    key: str  # stable name, e.g. score_is_probability
    description: str  # what is expected, for people
    severity: Severity
    check: Check
    blame: str | None = None  # the source column at fault, as the file names it
    reason: pl.Expr | None = None


def shown(column: str) -> pl.Expr:
    """The value as read, quoted, for a reason: 'abc', 'NaN', 'null'; a value longer than
    LONGEST_SHOWN characters is cut there and its length said (as `shown_values.capped`)."""
    text = raw(column).cast(pl.String).fill_null("null")
    length = text.str.len_chars()
    cut = pl.format("{}… ({} characters)", text.str.slice(0, LONGEST_SHOWN), length)
    return pl.format("'{}'", pl.when(length > LONGEST_SHOWN).then(cut).otherwise(text))


def prediction_rules(case: BusinessCase, profile: ReferenceProfile | None) -> list[Rule]:
    spec = case.predictions
    rules = [
        _critical(
            "id_present",
            "Every prediction has an id",
            NotNull("prediction_id"),
            spec.id,
            pl.lit("id is empty"),
        ),
        _critical(
            "timestamp_readable",
            "Every prediction has a readable timestamp",
            NotNull("predicted_at"),
            spec.timestamp,
            pl.format(
                "timestamp {} is empty or not a date-time (expected ISO 8601, "
                "e.g. 2026-05-01T10:00:00Z)",
                shown(spec.timestamp),
            ),
        ),
        _critical(
            "timestamp_not_in_future",
            "No timestamp is in the future",
            InSet("in_the_future", (False,)),
            spec.timestamp,
            pl.format("timestamp {} is in the future", shown(spec.timestamp)),
        ),
        _critical(
            "timestamp_not_too_early",
            f"No timestamp is before {spec.not_before.isoformat()}",
            InSet("before_not_before", (False,)),
            spec.timestamp,
            pl.format(
                "timestamp {} is before {} (predictions.not_before)",
                shown(spec.timestamp),
                pl.lit(spec.not_before.isoformat()),
            ),
        ),
    ]
    rules += _output_rules(case)
    for column, cells in _value_inputs(case).items():
        keys = ", ".join(f"value.{cell}" for cell in cells)
        rules.append(
            _critical(
                f"value_input_{column}",
                f"{column} is a number ({keys} need{'s' if len(cells) == 1 else ''} it)",
                NotNull(column),
                column,
                pl.format(
                    "{} {} is empty or not a finite number; {} needs it",
                    pl.lit(column),
                    shown(column),
                    pl.lit(keys),
                ),
            )
        )
    if _value_inputs(case):
        rules.append(
            _critical(
                "value_is_finite",
                "Every prediction's value is a finite amount",
                InSet("value_not_finite", (False,)),
                None,
                pl.lit("a value rule gives no finite amount for this row (e.g. a division by 0)"),
            )
        )
    rules += [
        _unique_in_file(spec.id),
        _warning(
            "id_new",
            "Each id arrives once (a later row replaces an earlier one)",
            InSet("replaces_earlier_row", (False,)),
            spec.id,
        ),
        _warning(
            "not_after_as_of",
            "No prediction is dated after the run's as-of day",
            InSet("after_as_of", (False,)),
            spec.timestamp,
        ),
    ]
    return rules + _reference_rules(case, profile)


def _output_rules(case: BusinessCase) -> list[Rule]:
    """A regression model's prediction is a finite number; a classifier's score is a
    probability and its decision (when the source has one) 0 or 1."""
    if case.is_multiclass:
        return _class_score_rules(case)
    spec, column = case.predictions, case.output_column
    if case.is_regression:
        return [
            _critical(
                "prediction_is_number",
                "Every prediction is a finite number",
                NotNull("score"),
                column,
                pl.format("prediction {} is not a finite number", shown(column)),
            )
        ]
    rules = [
        _critical(
            "score_is_number",
            "Every score is a number",
            NotNull("score"),
            column,
            pl.format("score {} is not a number", shown(column)),
        ),
        _critical(
            "score_is_probability",
            "Scores are probabilities between 0 and 1",
            Between("score", 0.0, 1.0),
            column,
            pl.format("score {} is not a probability between 0 and 1", shown(column)),
        ),
    ]
    if spec.decision:
        decision_reason = pl.format("decision {} is not 0 or 1", shown(spec.decision))
        rules += [
            _critical(
                "decision_readable",
                "Every decision is 0 or 1",
                NotNull("decision"),
                spec.decision,
                decision_reason,
            ),
            _critical(
                "decision_is_0_or_1",
                "Every decision is 0 or 1",
                InSet("decision", (0, 1)),
                spec.decision,
                decision_reason,
            ),
        ]
    return rules


def _class_score_rules(case: BusinessCase) -> list[Rule]:
    """A multiclass model's scores: each a probability, together summing to 1 within the
    case's tolerance; its decision (when the source has one) one of the classes."""
    spec, columns = case.predictions, case.score_columns
    rules = []
    for column in columns:
        rules += [
            _critical(
                f"{column}_is_number",
                f"Every {column} is a number",
                NotNull(column),
                column,
                pl.format("score {} is not a number", shown(column)),
            ),
            _critical(
                f"{column}_is_probability",
                f"Every {column} is a probability between 0 and 1",
                Between(column, 0.0, 1.0),
                column,
                pl.format("score {} is not a probability between 0 and 1", shown(column)),
            ),
        ]
    tolerance = spec.score_tolerance
    rules.append(
        _critical(
            "scores_sum_to_one",
            f"A row's class scores sum to 1 (within {tolerance:g})",
            Between("scores_total", 1.0 - tolerance, 1.0 + tolerance),
            columns[0],
            pl.format(
                "the scores add up to {}, not 1 ({})",
                pl.col("scores_total").round(4),
                pl.lit(" + ".join(columns)),
            ),
        )
    )
    if spec.decision:
        rules.append(
            _critical(
                "decision_is_a_class",
                "Every decision is one of the classes",
                NotNull("decision"),
                spec.decision,
                pl.format(
                    "decision {} is not one of the classes ({})",
                    shown(spec.decision),
                    pl.lit(", ".join(case.class_names)),
                ),
            )
        )
    return rules


def _unique_in_file(id_column: str) -> Rule:
    """Of the rows of one id in one file, the last usable one is kept (see `derive`)."""
    return _critical(
        "id_unique_in_file",
        "An id appears once in a file",
        InSet("repeats_later_in_file", (False,)),
        id_column,
        pl.format("id repeats later in the same file (row {} kept)", pl.col("kept_row")),
    )


def _value_inputs(case: BusinessCase) -> dict[str, list[str]]:
    """Each column the value rules read, with the cells that read it."""
    inputs: dict[str, list[str]] = {}
    for cell, columns in case.value.inputs().items():
        for column in sorted(columns):
            inputs.setdefault(column, []).append(cell)
    return dict(sorted(inputs.items()))


def arrival_rule() -> Rule:
    """A warning when no prediction file arrived since the model's last successful run (checked
    on one row per such file)."""
    return _warning(
        "predictions_arrived",
        "New predictions arrived since the last successful run",
        RowCountAtLeast(1),
    )


def _reference_rules(case: BusinessCase, profile: ReferenceProfile | None) -> list[Rule]:
    """Warnings from the reference: null rates, unseen categories, values far outside its range,
    model versions it does not know."""
    if profile is None:
        return []
    rules = []
    if profile.model_versions and case.predictions.model_version:
        rules.append(
            _warning(
                "model_version_known",
                f"Model versions are known ({', '.join(profile.model_versions)})",
                InSet("model_version", profile.model_versions),
                case.predictions.model_version,
            )
        )
    for column in profile.columns.values():
        allowed = min(1.0, column.null_rate + NULL_RATE_TOLERANCE)
        rules.append(
            _warning(
                f"{column.name}_null_rate",
                f"{column.name} is missing in at most {allowed:.0%} of rows "
                f"(reference: {column.null_rate:.1%})",
                NotNull(column.name, mostly=round(1 - allowed, 6)),
                column.name,
            )
        )
        if column.kind == "categorical" and column.categories:
            rules.append(
                _warning(
                    f"{column.name}_known_categories",
                    f"{column.name} takes only values seen in the reference",
                    InSet(column.name, column.categories),
                    column.name,
                )
            )
        elif column.kind == "numeric" and column.low is not None and column.high is not None:
            margin = RANGE_MARGIN * (column.high - column.low)
            low, high = column.low - margin, column.high + margin
            rules.append(
                _warning(
                    f"{column.name}_within_range",
                    f"{column.name} stays near the reference range ({low:,.4g} to {high:,.4g})",
                    Between(column.name, low, high),
                    column.name,
                )
            )
    return rules


def outcome_rules(case: BusinessCase) -> list[Rule]:
    spec = case.outcomes
    return [
        _critical(
            "id_present",
            "Every outcome has an id",
            NotNull("prediction_id"),
            spec.id,
            pl.lit("id is empty"),
        ),
        *_outcome_value_rules(case),
        _unique_in_file(spec.id),
        _warning(
            "outcome_has_prediction",
            "Every outcome matches a prediction (others are kept "
            "and count when their prediction arrives)",
            InSet("no_prediction_yet", (False,)),
            spec.id,
        ),
    ]


def _outcome_value_rules(case: BusinessCase) -> list[Rule]:
    """A classifier's label is 0 or 1, a regression model's actual a finite number; one id
    has one outcome in a batch (`label_conflict`)."""
    column = case.outcome_column
    conflict = _critical(
        f"{case.outcome_key}_consistent",
        f"No id has two different {case.outcome_key}s",
        InSet("label_conflict", (False,)),
        column,
        pl.lit(f"the same id has different {case.outcome_key}s in this batch"),
    )
    if case.is_multiclass:
        label_reason = pl.format(
            "label {} is not one of the classes ({})",
            shown(column),
            pl.lit(", ".join(case.class_names)),
        )
        readable = _critical(
            "label_is_a_class", "Every label is one of the classes", NotNull("label"), column,
            label_reason,
        )  # fmt: skip
        return [readable, conflict]
    if case.is_regression:
        actual_reason = pl.format("actual {} is not a finite number", shown(column))
        readable = _critical(
            "actual_is_number", "Every actual is a finite number", NotNull("actual"), column,
            actual_reason,
        )  # fmt: skip
        return [readable, conflict]
    label_reason = pl.format("label {} is not 0 or 1", shown(column))
    return [
        _critical(
            "label_readable", "Every label is 0 or 1", NotNull("label"), column, label_reason
        ),
        _critical(
            "label_is_0_or_1", "Every label is 0 or 1", InSet("label", (0, 1)), column, label_reason
        ),
        conflict,
    ]


def volume_rules() -> list[Rule]:
    """Checks on the report period's daily prediction counts (see `derive.daily_volume`)."""
    return [
        _warning(
            "every_day_has_predictions",
            "Every day of the period has predictions",
            InSet("has_predictions", (True,)),
        ),
        _warning(
            "daily_volume_typical",
            "Daily volume is within half to twice the same weekday's median of the 4 weeks before",
            InSet("volume_typical", (True,)),
        ),
    ]


def _critical(key: str, description: str, check: Check, blame: str | None, reason: pl.Expr) -> Rule:
    return Rule(key, description, "critical", check, blame, reason)


def _warning(key: str, description: str, check: Check, blame: str | None = None) -> Rule:
    return Rule(key, description, "warning", check, blame)


def in_the_future(now: dt.datetime) -> dt.datetime:
    """Timestamps after this are in the future (an hour's grace for clocks that differ)."""
    return now + dt.timedelta(hours=1)
