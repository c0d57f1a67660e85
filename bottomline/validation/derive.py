"""Boolean columns for the rules that depend on context, and the daily-volume frame."""

from __future__ import annotations

import datetime as dt
from functools import reduce

import polars as pl

from bottomline.validation.checks import failing_rows
from bottomline.validation.rules import Rule, in_the_future


def prediction_flags(
    batch: pl.DataFrame,
    now: dt.datetime,
    as_of: dt.date | None,
    loaded_elsewhere: pl.Series,
    distinct: bool = False,
    values: list[pl.Expr] | None = None,
    not_before: dt.date = dt.date(2000, 1, 1),
) -> pl.DataFrame:
    """in_the_future, after_as_of, and replaces_earlier_row: the id was stored before from
    another file, or an earlier file of this batch (files in path order) has it too.
    `distinct`: no id comes twice in the batch (`stored_ids.distinct_ids`), so no file
    repeats another. value_not_finite: one of the `values` (the case's value rules, currency)
    is no finite amount although its inputs are present (a missing input is its own rule's).
    before_not_before: the prediction is dated before `not_before`."""
    after = (pl.col("day") > as_of).fill_null(False) if as_of else pl.lit(False)
    stored_before = pl.col("prediction_id").is_in(loaded_elsewhere.implode())
    in_earlier_file = pl.lit(False)  # one file, or no id twice: no earlier file to repeat
    if not distinct and batch["source_file"].n_unique() > 1:
        # The file's place in the batch is ranked over the whole batch first, then compared
        # within each id (ranking inside the window would rank within the id's own rows).
        batch = batch.with_columns(pl.col("source_file").rank("dense").alias("_file_order"))
        in_earlier_file = pl.col("_file_order") > pl.col("_file_order").min().over("prediction_id")
    finite = [value.is_finite() for value in values or []]
    not_finite = (~pl.all_horizontal(finite)).fill_null(False) if finite else pl.lit(False)
    return batch.with_columns(
        not_finite.alias("value_not_finite"),
        (pl.col("predicted_at") < dt.datetime.combine(not_before, dt.time()))
        .fill_null(False)
        .alias("before_not_before"),
        (pl.col("predicted_at") > in_the_future(now)).fill_null(False).alias("in_the_future"),
        after.alias("after_as_of"),
        (pl.col("prediction_id").is_not_null() & (stored_before | in_earlier_file))
        .fill_null(False)
        .alias("replaces_earlier_row"),
    ).drop("_file_order", strict=False)


def outcome_flags(
    batch: pl.DataFrame,
    ids_with_prediction: pl.Series,
    distinct: bool = False,
    every_id_has_prediction: bool = False,
    outcome: str = "label",
) -> pl.DataFrame:
    """label_conflict (one id, two different `outcome` values in the batch: labels, or a
    regression model's actuals), no_prediction_yet. `distinct`: no id
    comes twice (`stored_ids.distinct_ids`), so no id has two labels;
    `every_id_has_prediction`: every id of the batch is among `ids_with_prediction`, so none
    needs looking up."""
    value = pl.col(outcome)
    conflict = value.max().over("prediction_id") != value.min().over("prediction_id")
    if distinct:
        conflict = pl.lit(False)
    has_id = pl.col("prediction_id").is_not_null()
    without_prediction = ~pl.col("prediction_id").is_in(ids_with_prediction.implode())
    if every_id_has_prediction:
        without_prediction = pl.lit(False)
    return batch.with_columns(
        (has_id & conflict.fill_null(False)).alias("label_conflict"),
        (has_id & without_prediction).alias("no_prediction_yet"),
    )


def repeats_in_file(
    batch: pl.DataFrame, earlier_rules: list[Rule], distinct: bool = False
) -> pl.DataFrame:
    """repeats_later_in_file and kept_row: of the rows of an id in one file that pass the
    critical rules before this one, the last is kept. `distinct`: no id comes twice in the
    batch (`stored_ids.distinct_ids`), so each usable row is the one kept of its id."""
    failing = [
        failing_rows(rule.check, batch.schema)
        for rule in earlier_rules
        if rule.severity == "critical"
    ]
    broken = reduce(lambda a, b: a | b, [f for f in failing if f is not None], pl.lit(False))
    usable_row = pl.when(~broken & pl.col("prediction_id").is_not_null()).then(pl.col("source_row"))
    if distinct:
        return batch.with_columns(
            usable_row.alias("kept_row"), pl.lit(False).alias("repeats_later_in_file")
        )
    kept = usable_row.max().over(["source_file", "prediction_id"])
    return batch.with_columns(kept.alias("kept_row")).with_columns(
        (usable_row.is_not_null() & (pl.col("source_row") < pl.col("kept_row")))
        .fill_null(False)
        .alias("repeats_later_in_file")
    )


def daily_volume(counts: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Per day of [start, end] from the model's first day: predictions, the typical count (median
    of the same weekday in the 4 weeks before), has_predictions, volume_typical."""
    if counts.height == 0:
        return pl.DataFrame(
            schema={
                "day": pl.Date,
                "predictions": pl.Int64,
                "typical": pl.Float64,
                "has_predictions": pl.Boolean,
                "volume_typical": pl.Boolean,
            }
        )
    first_stored: dt.date = counts["day"].min()  # type: ignore[assignment]
    first_day = max(start, first_stored)
    calendar = pl.DataFrame({"day": pl.date_range(first_day, end, "1d", eager=True)})
    history = counts.select("day", pl.col("predictions").cast(pl.Int64))
    weeks_before = [
        calendar.with_columns((pl.col("day") - pl.duration(days=7 * week)).alias("earlier"))
        .join(history.rename({"day": "earlier", "predictions": "earlier_count"}), on="earlier")
        .select("day", "earlier_count")
        for week in range(1, 5)
    ]
    typical = (
        pl.concat(weeks_before)
        .group_by("day")
        .agg(pl.col("earlier_count").median().alias("typical"))
    )
    volume = calendar.join(history, on="day", how="left").join(typical, on="day", how="left")
    count = pl.col("predictions").fill_null(0)
    return (
        volume.with_columns(count.alias("predictions"))
        .with_columns(
            (count > 0).alias("has_predictions"),
            (
                pl.col("typical").is_null()
                | count.is_between(0.5 * pl.col("typical"), 2 * pl.col("typical"))
            ).alias("volume_typical"),
        )
        .sort("day")
    )
