from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from bottomline.measures.figures import Z_95, daily_series, period_figures, with_calibration

MAY_1, MAY_2, MAY_3 = dt.date(2026, 5, 1), dt.date(2026, 5, 2), dt.date(2026, 5, 3)


def daily() -> pl.DataFrame:
    """Two days of whole-model totals (the six-row case of test_metrics, all versions)."""
    return pl.DataFrame(
        {
            "day": [MAY_1, MAY_2],
            "predictions": [5, 1],
            "matured": [3, 1],
            "tp": [1, 0],
            "fp": [1, 1],
            "tn": [0, 0],
            "fn": [1, 0],
            "realized_value": [-100.0, -5.0],
            "expected_value": [-19.0, -2.0],
            "expected_value_matured": [-3.0, -2.0],
            "variance_matured": [2649.0, 9.0],
            "decided_positive": [4, 1],
            "realized_value_sq": [10_200.0, 25.0],
            "realized_if_all_positive": [-85.0, -5.0],
            "realized_if_all_negative": [-20.0, 0.0],
            "variance_pending": [880.0, 0.0],
        }
    )


def test_a_window_is_the_sum_of_its_days() -> None:
    figures = period_figures(daily(), MAY_1, MAY_3)
    assert (figures.predictions, figures.matured, figures.pending) == (6, 4, 2)
    assert figures.realized_value == -105
    assert figures.expected_value == -21
    assert figures.expected_value_pending == -21 - -5
    assert figures.gap == -105 - -5
    assert figures.gap_share == pytest.approx(-100 / 5)
    half_width = Z_95 * math.sqrt(2658)
    assert half_width == pytest.approx(101.05, abs=0.01)
    assert (figures.band_low, figures.band_high) == pytest.approx(
        (-5 - half_width, -5 + half_width)
    )
    assert figures.within_band is True  # -105 is just inside [-106.05, 96.05]
    assert figures.days_with_data == 2
    pending = Z_95 * math.sqrt(880)
    assert (figures.pending_low, figures.pending_high) == pytest.approx(
        (-16 - pending, -16 + pending)
    )


def test_the_calibrations_variance_adds_to_both_ranges() -> None:
    figures = with_calibration(period_figures(daily(), MAY_1, MAY_3), (342.0, 120.0))
    assert figures.band_half_width == pytest.approx(Z_95 * math.sqrt(2658 + 342))
    assert figures.pending_half_width == pytest.approx(Z_95 * math.sqrt(880 + 120))


def test_outside_the_band_is_flagged() -> None:
    shifted = daily().with_columns(pl.col("realized_value") - 10)
    assert period_figures(shifted, MAY_1, MAY_2).within_band is False


def test_an_empty_window_has_no_verdict_on_the_band() -> None:
    figures = period_figures(daily(), dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert (figures.predictions, figures.realized_value) == (0, 0.0)
    assert figures.within_band is None
    assert figures.gap_share is None
    assert figures.maturity is None


def test_the_daily_series_has_every_calendar_day() -> None:
    series = daily_series(daily(), MAY_1, MAY_3)
    assert series["day"].to_list() == [MAY_1, MAY_2, MAY_3]
    assert series["predictions"].to_list() == [5, 1, 0]
    assert series["expected_value_pending"].to_list() == pytest.approx([-16.0, 0.0, 0.0])
    assert series["band_high"][1] == pytest.approx(-2 + Z_95 * 3)
