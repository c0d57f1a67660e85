"""The calibration's part of each range: a window's stake sums against the stored spread."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from bottomline.measures.calibration_spread import CalibrationSpread
from bottomline.measures.metrics import ALL, STAKES_SCHEMA


@dataclass(frozen=True)
class CalibrationUncertainty:
    """The model's calibration spread (None: scores taken at face value, or none fitted yet)
    and its `calibration_stakes_daily` rows for the days a report reads."""

    spread: CalibrationSpread | None
    stakes: pl.DataFrame

    @classmethod
    def none(cls) -> CalibrationUncertainty:
        return cls(None, pl.DataFrame(schema=STAKES_SCHEMA))

    def variances(
        self,
        start: dt.date,
        end: dt.date,
        segment: str = ALL,
        segment_value: str = ALL,
        model_version: str | None = None,
    ) -> tuple[float, float]:
        """Calibration variance (currency squared) of realized value over the slice's matured
        predictions in [start, end], and of what its pending predictions will realize."""
        if self.spread is None:
            return 0.0, 0.0
        rows = self.stakes.filter(
            pl.col("day").is_between(start, end),
            pl.col("segment") == segment,
            pl.col("segment_value") == segment_value,
        )
        if model_version is not None:
            rows = rows.filter(pl.col("model_version") == model_version)
        rows = rows.with_columns(
            (pl.col("stake_all") - pl.col("stake_matured")).alias("stake_pending")
        )
        return (
            self.spread.variance(rows, "stake_matured"),
            self.spread.variance(rows, "stake_pending"),
        )

    def daily(self, start: dt.date, end: dt.date) -> pl.DataFrame:
        """Per day of [start, end], the whole model's calibration variance over matured
        predictions (for the daily chart's range)."""
        schema = {"day": pl.Date, "calibration_variance_matured": pl.Float64}
        if self.spread is None:
            return pl.DataFrame(schema=schema)
        spread = self.spread
        whole = self.stakes.filter(pl.col("segment") == ALL, pl.col("day").is_between(start, end))
        by_day = whole.partition_by("day", as_dict=True)
        days = sorted(key[0] for key in by_day)
        variance = [spread.variance(by_day[(day,)], "stake_matured") for day in days]
        return pl.DataFrame({"day": days, "calibration_variance_matured": variance}, schema=schema)
