"""Daily profiles: per day and column, the rows in each bin, with what they realized.

Grain of `profiles_daily`: model x day x column x bin, with count (rows), value_sum (sum of
the column's values, numeric), matured (rows with a known outcome) and realized_value
(currency). Every measure is a sum, so a window's profile is the sum of its days.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from bottomline.drift.bins import NULL_BIN, ColumnBins

PROFILE_SCHEMA = {
    "day": pl.Date,
    "column_name": pl.String,
    "kind": pl.String,
    "bin": pl.String,
    "count": pl.Int64,
    "value_sum": pl.Float64,
    "matured": pl.Int64,
    "realized_value": pl.Float64,
}


def profile(rows: pl.DataFrame, bins: list[ColumnBins]) -> pl.DataFrame:
    """Profiles of measured prediction rows (`day`, the columns, `matured`, `realized_value`;
    see metrics.prediction_measures). The label is profiled over matured rows only."""
    days = _RowArrays(rows)
    present = [column for column in bins if column.column in rows.columns]

    def one(column: ColumnBins) -> pl.DataFrame:
        if column.kind == "numeric":
            part = _numeric_profile(rows, column, days)
        else:
            subset = rows.filter(pl.col("matured") == 1) if column.column == "label" else rows
            part = _categorical_profile(subset, column)
        return part.with_columns(
            pl.lit(column.column).alias("column_name"), pl.lit(column.kind).alias("kind")
        )

    # NumPy's searchsorted and Polars release the GIL: columns are binned on every core.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        parts = list(pool.map(one, present))
    if not parts:
        return pl.DataFrame(schema=PROFILE_SCHEMA)
    return pl.concat(parts).select(list(PROFILE_SCHEMA)).cast(PROFILE_SCHEMA)  # type: ignore[arg-type]


class _RowArrays:
    """What every numeric column's profile needs of the rows, made once: each row's day as a
    small integer (index into `days`), and its matured flag and realized value (currency)."""

    def __init__(self, rows: pl.DataFrame) -> None:
        day = rows["day"]
        if day.null_count() or day.is_empty():  # the reference's rows have no day
            self.days, self.codes = np.unique(day.to_numpy(), return_inverse=True)
        else:  # days since the first day: no sort needed
            numbers = day.to_physical().cast(pl.Int64).to_numpy()
            first = int(numbers.min())
            self.codes = numbers - first
            self.days = np.arange(first, int(numbers.max()) + 1).astype("datetime64[D]")
        self.matured = rows["matured"].fill_null(0).cast(pl.Float64).to_numpy()
        self.realized = rows["realized_value"].fill_null(0.0).fill_nan(0.0).to_numpy()


def _numeric_profile(rows: pl.DataFrame, column: ColumnBins, days: _RowArrays) -> pl.DataFrame:
    """Rows, value sums, matured rows and realized value per day and bin, by counting bin
    numbers (no per-row text): bin j for e[j-1] < x <= e[j], `_null` for missing values."""
    values, index = column.numeric_bins(rows[column.column])
    missing = index < 0
    present = np.where(missing, 0.0, values) if missing.any() else values
    slots = len(column.edges) + 2  # slot 0 is `_null`; slot j + 1 is numeric bin j
    key = index + 1  # one day (a night's rows): no day offsets to add
    if len(days.days) > 1:
        key = days.codes * slots + key
    size = len(days.days) * slots
    counts = np.bincount(key, minlength=size)
    found = np.flatnonzero(counts)
    sums = {
        "value_sum": np.bincount(key, weights=present, minlength=size)[found],
        "matured": np.bincount(key, weights=days.matured, minlength=size)[found].round(),
        "realized_value": np.bincount(key, weights=days.realized, minlength=size)[found],
    }
    slot = found % slots
    names = np.where(slot == 0, NULL_BIN, (slot - 1).astype(str))
    return pl.DataFrame(
        {
            "day": days.days[found // slots],
            "bin": names,
            "count": counts[found].astype(np.int64),
            "value_sum": sums["value_sum"],
            "matured": sums["matured"].astype(np.int64),
            "realized_value": sums["realized_value"],
        }
    )


def _categorical_profile(subset: pl.DataFrame, column: ColumnBins) -> pl.DataFrame:
    """Rows, matured rows and realized value per day and category. Rows are grouped by their
    own values and only the groups are named (a number or a missing value as text once per
    group, not per row); values whose names coincide are then merged."""
    if subset[column.column].dtype.is_float():  # grouping would merge -0.0 with 0.0
        subset = subset.with_columns(column.bin_of(subset[column.column]).alias(column.column))
    by_value = subset.group_by("day", column.column).agg(
        pl.len().cast(pl.Int64).alias("count"),
        pl.col("matured").sum().cast(pl.Int64),
        pl.col("realized_value").sum(),
    )
    named = by_value.with_columns(column.bin_of(by_value[column.column]))
    return named.group_by("day", "bin").agg(
        pl.col("count").sum(),
        pl.lit(0.0).alias("value_sum"),  # categories have no values to sum
        pl.col("matured").sum(),
        pl.col("realized_value").sum(),
    )
