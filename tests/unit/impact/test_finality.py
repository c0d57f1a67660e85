"""The arrival forecast on generated data with a known arrival curve."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from bottomline.impact.finality import arrival_curve, check_forecast, finality

FIRST = dt.date(2026, 1, 1)
DAYS = 200
PER_DAY = 2000
ARRIVES = 0.8  # a fifth of the outcomes never come
DAILY_CHANCE = 0.1  # an outcome still to come arrives on any given day with this chance


def generated(as_of: dt.date, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Arrivals (day, lag_days, outcomes) known by `as_of`, and predictions per day."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(DAYS):
        day = FIRST + dt.timedelta(days=index)
        comes = rng.uniform(size=PER_DAY) < ARRIVES
        lags = rng.geometric(DAILY_CHANCE, size=int(comes.sum())) - 1  # 0, 1, 2, ...
        seen = lags[lags <= (as_of - day).days]
        for lag, count in zip(*np.unique(seen, return_counts=True), strict=True):
            rows.append((day, int(lag), int(count)))
    arrivals = pl.DataFrame(
        rows, schema={"day": pl.Date, "lag_days": pl.Int32, "outcomes": pl.Int64}, orient="row"
    )
    predictions = pl.DataFrame(
        {"day": [FIRST + dt.timedelta(days=i) for i in range(DAYS)], "predictions": PER_DAY}
    )
    return arrivals, predictions


AS_OF = FIRST + dt.timedelta(days=DAYS - 1)
START = AS_OF - dt.timedelta(days=29)  # the last 30 days


def true_known_share(by: dt.date) -> float:
    """The share of the window's coming outcomes known by `by`, from the generating curve."""
    ages = np.array([(by - (START + dt.timedelta(days=i))).days for i in range(30)])
    return float(np.mean(1 - (1 - DAILY_CHANCE) ** (ages + 1)))


def test_the_curve_learns_the_daily_chance_and_that_some_never_come() -> None:
    arrivals, predictions = generated(AS_OF)
    curve = arrival_curve(arrivals, predictions, AS_OF)
    # at lag 0 a waiting prediction's outcome comes with chance 0.8 * 0.1
    assert curve.hazards[0] == pytest.approx(ARRIVES * DAILY_CHANCE, rel=0.05)
    # after 100 days nearly every outcome that comes has come: the chance falls to 0
    assert curve.still_to_come(np.array([100]), np.array([190]))[0] < 0.01


def test_the_forecast_names_the_day_the_known_outcomes_reach_90_percent() -> None:
    arrivals, predictions = generated(AS_OF)
    result = finality(arrivals, predictions, START, AS_OF, AS_OF)
    assert result is not None
    assert result.known_share == pytest.approx(true_known_share(AS_OF), abs=0.02)
    assert result.target == 0.9
    truth = next(
        AS_OF + dt.timedelta(days=ahead)
        for ahead in range(200)
        if true_known_share(AS_OF + dt.timedelta(days=ahead)) >= 0.9
    )
    assert result.target_day is not None
    assert abs((result.target_day - truth).days) <= 2


def test_last_windows_forecast_is_checked_against_what_came() -> None:
    arrivals, predictions = generated(AS_OF)
    check = check_forecast(arrivals, predictions, START, AS_OF, AS_OF)
    assert check is not None
    assert check.made_on == AS_OF - dt.timedelta(days=30)
    assert (check.start, check.end) == (START - dt.timedelta(days=30), check.made_on)
    assert check.arrived > 10_000  # a month of arrivals for a month of 2,000 a day
    assert check.forecast == pytest.approx(check.arrived, rel=0.05)


def test_a_window_without_predictions_has_no_forecast() -> None:
    arrivals, predictions = generated(AS_OF)
    later = AS_OF + dt.timedelta(days=10)
    assert finality(arrivals, predictions, later, later, later) is None
