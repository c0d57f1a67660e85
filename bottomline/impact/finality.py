"""When does a window's figure become final? A forecast from how fast outcomes arrived.

From `outcome_arrivals_daily` (outcomes per day of prediction and lag in days) and the
predictions per day: the chance that a prediction still waiting at lag a gets its outcome on
that lag, h(a) = arrivals at lag a / predictions still waiting at lag a, over every day old
enough to have reached lag a (a life table: recent days count for the lags they have lived
through, and predictions whose outcome never comes lower h, so they are not waited for).
A day of age A with P predictions waiting then expects P * (1 - prod_{a=A+1..t} (1 - h(a)))
more by lag t. The window's known share is its known outcomes over those plus every one still
expected; the forecast names the first day the share reaches a target.

"Now" is the newest arrival stored, so a report on old data forecasts from its own time. The
check: the same forecast made one window length earlier, from only what had arrived by then,
for the window before, against what arrived since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

HISTORY_DAYS = 365  # days of prediction whose arrivals teach the curve
TARGETS = (0.9, 0.99)  # the share a forecast names the day of: 90%, or 99% once 90% is in


@dataclass(frozen=True)
class ArrivalCurve:
    """Per lag (days), the chance a prediction still waiting gets its outcome at that lag."""

    hazards: np.ndarray

    def still_to_come(self, age: np.ndarray, until: np.ndarray) -> np.ndarray:
        """Per day, the share of its waiting predictions expected to get their outcome after
        lag `age` and by lag `until` (both in days since the day)."""
        survive = np.cumprod(1 - self.hazards)
        last = len(survive) - 1
        at_age = survive[np.clip(age, 0, last)]
        at_until = survive[np.clip(until, 0, last)]
        share: np.ndarray = np.where(until > age, 1 - at_until / np.maximum(at_age, 1e-12), 0.0)
        clipped: np.ndarray = np.clip(share, 0.0, 1.0)
        return clipped


@dataclass(frozen=True)
class Finality:
    """How much of a window's outcomes are known, and when the rest will be."""

    as_of: dt.date  # the newest arrival stored
    known: int  # outcomes known of the window's predictions
    expected: float  # known plus those still expected
    target: float  # the share the forecast names the day of
    target_day: dt.date | None  # None: not within the curve's horizon

    @property
    def known_share(self) -> float:
        return self.known / self.expected if self.expected else 1.0


@dataclass(frozen=True)
class ForecastCheck:
    """The forecast made on `made_on` for [start, end]: outcomes expected by `as_of`, and
    those that came."""

    made_on: dt.date
    as_of: dt.date
    start: dt.date
    end: dt.date
    forecast: float
    arrived: int


def arrival_curve(
    arrivals: pl.DataFrame, predictions: pl.DataFrame, as_of: dt.date
) -> ArrivalCurve:
    """The curve from the arrivals known by `as_of` (`arrivals`: day, lag_days, outcomes;
    `predictions`: day, predictions), days of the HISTORY_DAYS before it."""
    first = as_of - dt.timedelta(days=HISTORY_DAYS)
    known = arrivals.filter(
        pl.col("day") >= first,
        pl.col("day") + pl.duration(days=pl.col("lag_days")) <= as_of,
    )
    days = predictions.filter(pl.col("day").is_between(first, as_of))
    if days.is_empty():
        return ArrivalCurve(np.zeros(1))
    ages = np.array([(as_of - d).days for d in days["day"].to_list()])
    lags = int(ages.max()) + 1
    by_day = {d: i for i, d in enumerate(days["day"].to_list())}
    table = np.zeros((len(by_day), lags))
    for d, lag, count in known.select("day", "lag_days", "outcomes").iter_rows():
        if d in by_day:
            table[by_day[d], lag] += count
    waiting = days["predictions"].to_numpy()[:, None] - np.cumsum(table, axis=1) + table
    lived = np.arange(lags)[None, :] <= ages[:, None]
    at_risk = (waiting * lived).sum(axis=0)
    came = (table * lived).sum(axis=0)
    hazards = np.divide(came, at_risk, out=np.zeros(lags), where=at_risk > 0)
    return ArrivalCurve(np.clip(hazards, 0.0, 1.0))


def _window_days(
    arrivals: pl.DataFrame,
    predictions: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    known_by: dt.date | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per day of [start, end] up to `as_of`: its age then, predictions and outcomes known
    by `known_by` (default: `as_of`)."""
    days = predictions.filter(pl.col("day").is_between(start, min(end, as_of)))
    known = (
        arrivals.filter(
            pl.col("day").is_between(start, end),
            pl.col("day") + pl.duration(days=pl.col("lag_days")) <= (known_by or as_of),
        )
        .group_by("day")
        .agg(pl.col("outcomes").sum())
    )
    joined = days.join(known, on="day", how="left").with_columns(pl.col("outcomes").fill_null(0))
    ages = np.array([(as_of - d).days for d in joined["day"].to_list()], dtype=int)
    return ages, joined["predictions"].to_numpy(), joined["outcomes"].to_numpy()


def finality(
    arrivals: pl.DataFrame,
    predictions: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
) -> Finality | None:
    """The window's known share and the day its target share will be known; None when it
    has no predictions."""
    curve = arrival_curve(arrivals, predictions, as_of)
    ages, counts, known = _window_days(arrivals, predictions, start, end, as_of)
    if not counts.sum():
        return None
    waiting = np.maximum(counts - known, 0)
    horizon = len(curve.hazards) + 1
    expected = known.sum() + (waiting * curve.still_to_come(ages, ages + horizon)).sum()
    share = known.sum() / expected if expected else 1.0
    target = TARGETS[0] if share < TARGETS[0] else TARGETS[1]
    target_day = None
    for ahead in range(horizon + 1):
        by_then = known.sum() + (waiting * curve.still_to_come(ages, ages + ahead)).sum()
        if by_then >= target * expected - 1e-9:
            target_day = as_of + dt.timedelta(days=ahead)
            break
    return Finality(as_of, int(known.sum()), float(expected), target, target_day)


def check_forecast(
    arrivals: pl.DataFrame,
    predictions: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
) -> ForecastCheck | None:
    """The forecast made one window length before `as_of` for the window before [start, end],
    from what had arrived by then, against what arrived since; None when that window had
    nothing left to wait for."""
    length = dt.timedelta(days=(end - start).days + 1)
    made_on, before = as_of - length, (start - length, end - length)
    curve = arrival_curve(arrivals, predictions, made_on)
    ages, counts, known = _window_days(arrivals, predictions, *before, made_on)
    waiting = np.maximum(counts - known, 0)
    if not waiting.sum():
        return None
    forecast = (waiting * curve.still_to_come(ages, ages + length.days)).sum()
    _, _, known_now = _window_days(arrivals, predictions, *before, made_on, known_by=as_of)
    arrived = int(known_now.sum() - known.sum())
    return ForecastCheck(made_on, as_of, *before, float(forecast), arrived)
