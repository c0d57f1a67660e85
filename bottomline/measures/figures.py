"""A window's figures, merged from stored daily aggregates (never from raw rows).

Realized value R is over predictions whose outcome is known (matured); expected value E is
over all, from calibrated scores. The test of the model's promise compares R with the
expected value of the same matured predictions. Two things make R differ from that promise
when the promise holds: the outcomes' randomness (under calibrated scores R has variance
`variance_matured`) and the calibration's own error, fitted on a finite reference
(`calibration_variance_matured`, see `bottomline.measures.calibration_spread`). The 95% range is
`E_matured +- 1.96 * sqrt(variance_matured + calibration_variance_matured)`; what is still to
come has its range the same way, from the pending predictions' variances.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import polars as pl

from bottomline.measures.metrics import MEASURES

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class PeriodFigures:
    """Figures of a window [start, end], for the whole model or one slice of it (a segment
    value, a model version); money in the case's currency."""

    start: dt.date
    end: dt.date
    days_with_data: int
    predictions: int
    matured: int
    tp: int
    fp: int
    tn: int
    fn: int
    realized_value: float
    expected_value: float  # all predictions
    expected_value_matured: float
    variance_matured: float  # currency squared: outcomes' randomness, matured predictions
    decided_positive: int = 0  # positive decisions, all predictions
    realized_value_sq: float = 0.0  # sum of squared realized values, matured
    realized_if_all_positive: float = 0.0  # matured, had every decision been positive
    realized_if_all_negative: float = 0.0  # matured, had every decision been negative
    variance_pending: float = 0.0  # currency squared: outcomes' randomness, pending
    calibration_variance_matured: float = 0.0  # currency squared: the calibration's error
    calibration_variance_pending: float = 0.0
    errors: ForecastErrors | None = None  # a regression model's, over matured predictions

    @property
    def pending(self) -> int:
        """Predictions whose outcome is not known yet."""
        return self.predictions - self.matured

    @property
    def expected_value_pending(self) -> float:
        """Estimated value of the predictions still awaiting outcomes."""
        return self.expected_value - self.expected_value_matured

    @property
    def gap(self) -> float:
        """Realized minus what the scores promised for the same (matured) predictions."""
        return self.realized_value - self.expected_value_matured

    @property
    def gap_share(self) -> float | None:
        """The gap as a share of the promised value; None when nothing was promised."""
        if self.matured == 0 or self.expected_value_matured == 0:
            return None
        return self.gap / abs(self.expected_value_matured)

    @property
    def band_half_width(self) -> float:
        """Half the 95% range of realized value around the promise (currency)."""
        variance = self.variance_matured + self.calibration_variance_matured
        return Z_95 * math.sqrt(max(variance, 0.0))

    @property
    def pending_half_width(self) -> float:
        """Half the 95% range of what the pending predictions will realize (currency)."""
        variance = self.variance_pending + self.calibration_variance_pending
        return Z_95 * math.sqrt(max(variance, 0.0))

    @property
    def pending_low(self) -> float:
        return self.expected_value_pending - self.pending_half_width

    @property
    def pending_high(self) -> float:
        return self.expected_value_pending + self.pending_half_width

    @property
    def band_low(self) -> float:
        return self.expected_value_matured - self.band_half_width

    @property
    def band_high(self) -> float:
        return self.expected_value_matured + self.band_half_width

    @property
    def within_band(self) -> bool | None:
        """Whether realized value lies in the 95% band; None before any outcome is known."""
        if self.matured == 0:
            return None
        return self.band_low <= self.realized_value <= self.band_high

    @property
    def value_per_prediction(self) -> float | None:
        """Realized value per matured prediction."""
        return self.realized_value / self.matured if self.matured else None

    @property
    def value_per_prediction_variance(self) -> float | None:
        """Sample variance of realized value per matured prediction (currency squared)."""
        if self.matured < 2:
            return None
        mean = self.realized_value / self.matured
        return max(self.realized_value_sq - self.matured * mean**2, 0.0) / (self.matured - 1)

    @property
    def precision(self) -> float | None:
        """Share of positive decisions with a positive outcome (matured)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Share of positive outcomes that got a positive decision: the true-positive rate."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def positive_rate(self) -> float | None:
        """Share of predictions with a positive decision."""
        return self.decided_positive / self.predictions if self.predictions else None

    @property
    def maturity(self) -> float | None:
        """Share of predictions with a known outcome."""
        return self.matured / self.predictions if self.predictions else None


@dataclass(frozen=True)
class ForecastErrors:
    """A regression model's errors over matured predictions: sums of prediction minus actual
    (in the model's unit), and what under- and over-prediction cost against a perfect
    forecast (currency)."""

    matured: int
    abs_error: float
    squared_error: float
    signed_error: float
    abs_percent_error: float
    percent_error_rows: int
    under_predicted: int
    over_predicted: int
    cost_under: float
    cost_over: float

    @property
    def mean_absolute_error(self) -> float | None:
        return self.abs_error / self.matured if self.matured else None

    @property
    def root_mean_squared_error(self) -> float | None:
        return math.sqrt(self.squared_error / self.matured) if self.matured else None

    @property
    def bias(self) -> float | None:
        """Mean of prediction minus actual: positive when the model predicts too much."""
        return self.signed_error / self.matured if self.matured else None

    @property
    def mean_absolute_percent_error(self) -> float | None:
        """Share (0.12 = 12%), over predictions whose actual is not 0."""
        rows = self.percent_error_rows
        return self.abs_percent_error / rows if rows else None


def forecast_errors(totals: dict[str, float]) -> ForecastErrors:
    """The errors of summed measures (`MEASURES` by name)."""
    return ForecastErrors(
        matured=int(totals["matured"]),
        abs_error=float(totals["abs_error"]),
        squared_error=float(totals["squared_error"]),
        signed_error=float(totals["signed_error"]),
        abs_percent_error=float(totals["abs_percent_error"]),
        percent_error_rows=int(totals["percent_error_rows"]),
        under_predicted=int(totals["under_predicted"]),
        over_predicted=int(totals["over_predicted"]),
        cost_under=float(totals["cost_under"]),
        cost_over=float(totals["cost_over"]),
    )


def with_every_measure(daily: pl.DataFrame) -> pl.DataFrame:
    """Daily rows with every measure of `MEASURES`, those they lack as 0 (rows summed
    before a measure existed, or by a query that does not need it)."""
    missing = [name for name in MEASURES if name not in daily.columns]
    return daily.with_columns(pl.lit(0).alias(name) for name in missing) if missing else daily


def period_figures(daily: pl.DataFrame, start: dt.date, end: dt.date) -> PeriodFigures:
    """Sum the daily aggregates of a window: any rows with `day` and the measures (the
    whole-model totals of `sql/report/daily_totals.sql`, or one slice's rows)."""
    window = with_every_measure(daily).filter(pl.col("day").is_between(start, end))
    totals = window.select(pl.col(MEASURES).sum().fill_null(0)).row(0, named=True)
    days = window.filter(pl.col("predictions") > 0).select(pl.col("day").n_unique()).item()
    return PeriodFigures(
        start=start,
        end=end,
        days_with_data=int(days),
        predictions=int(totals["predictions"]),
        matured=int(totals["matured"]),
        tp=int(totals["tp"]),
        fp=int(totals["fp"]),
        tn=int(totals["tn"]),
        fn=int(totals["fn"]),
        realized_value=float(totals["realized_value"]),
        expected_value=float(totals["expected_value"]),
        expected_value_matured=float(totals["expected_value_matured"]),
        variance_matured=float(totals["variance_matured"]),
        decided_positive=int(totals["decided_positive"]),
        realized_value_sq=float(totals["realized_value_sq"]),
        realized_if_all_positive=float(totals["realized_if_all_positive"]),
        realized_if_all_negative=float(totals["realized_if_all_negative"]),
        variance_pending=float(totals["variance_pending"]),
        errors=forecast_errors(totals)
        if totals["under_predicted"] or totals["over_predicted"]
        else None,
    )


def with_calibration(figures: PeriodFigures, variances: tuple[float, float]) -> PeriodFigures:
    """The figures with the calibration's variance (matured, pending; currency squared)."""
    matured, pending = variances
    return replace(
        figures, calibration_variance_matured=matured, calibration_variance_pending=pending
    )


def daily_series(
    daily: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    calibration: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per calendar day of the window (days without data as zeros), with the edges of
    each day's 95% range; `calibration` (day, calibration_variance_matured) adds the
    calibration's part."""
    calendar = pl.DataFrame({"day": pl.date_range(start, end, "1d", eager=True)})
    filled = calendar.join(with_every_measure(daily), on="day", how="left").with_columns(
        pl.col(MEASURES).fill_null(0)
    )
    if calibration is None:
        calibration = pl.DataFrame(
            schema={"day": pl.Date, "calibration_variance_matured": pl.Float64}
        )
    filled = filled.join(calibration, on="day", how="left").with_columns(
        pl.col("calibration_variance_matured").fill_null(0.0)
    )
    variance = pl.col("variance_matured") + pl.col("calibration_variance_matured")
    half_width = Z_95 * variance.clip(lower_bound=0).sqrt()
    return filled.with_columns(
        (pl.col("expected_value_matured") - half_width).alias("band_low"),
        (pl.col("expected_value_matured") + half_width).alias("band_high"),
        (pl.col("expected_value") - pl.col("expected_value_matured")).alias(
            "expected_value_pending"
        ),
    ).sort("day")
