"""Daily profiles: per day and column, the rows in each bin, with what they realized.

Grain of `profiles_daily`: model x day x column x bin, with count (rows), value_sum (sum of
the column's values, numeric), matured (rows with a known outcome) and realized_value
(currency). Every measure is a sum, so a window's profile is the sum of its days.
"""

from __future__ import annotations

import polars as pl

from bottomline.drift.bins import ColumnBins

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
    parts = []
    for column in bins:
        if column.column not in rows.columns:
            continue
        subset = rows.filter(pl.col("matured") == 1) if column.column == "label" else rows
        numeric = column.kind == "numeric"
        values = subset[column.column].cast(pl.Float64, strict=False) if numeric else None
        part = (
            subset.select(
                "day",
                column.bin_of(subset[column.column]),
                (values.fill_nan(None) if values is not None else pl.lit(None, pl.Float64)).alias(
                    "value"
                ),
                "matured",
                "realized_value",
            )
            .group_by("day", "bin")
            .agg(
                pl.len().cast(pl.Int64).alias("count"),
                pl.col("value").sum().alias("value_sum"),
                pl.col("matured").sum().cast(pl.Int64).alias("matured"),
                pl.col("realized_value").sum().alias("realized_value"),
            )
        )
        parts.append(
            part.with_columns(
                pl.lit(column.column).alias("column_name"), pl.lit(column.kind).alias("kind")
            )
        )
    if not parts:
        return pl.DataFrame(schema=PROFILE_SCHEMA)
    return pl.concat(parts).select(list(PROFILE_SCHEMA)).cast(PROFILE_SCHEMA)  # type: ignore[arg-type]
