"""Report windows of any grain, each merged from the stored daily aggregates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import polars as pl

from bottomline.measures.figures import PeriodFigures, period_figures

Grain = Literal["day", "week", "month", "quarter"]


def window_containing(day: dt.date, grain: Grain) -> tuple[dt.date, dt.date]:
    """The day, ISO week (Monday to Sunday), calendar month or quarter that holds `day`."""
    if grain == "day":
        return day, day
    if grain == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    first_month = day.month if grain == "month" else 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    months = 1 if grain == "month" else 3
    following = dt.date(
        start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1
    )
    return start, following - dt.timedelta(days=1)


def windows_between(start: dt.date, end: dt.date, grain: Grain) -> list[tuple[dt.date, dt.date]]:
    """The windows of `grain` that cover [start, end], the first and last cut to it."""
    windows = []
    day = start
    while day <= end:
        first, last = window_containing(day, grain)
        windows.append((max(first, start), min(last, end)))
        day = last + dt.timedelta(days=1)
    return windows


def figures_by_window(
    daily: pl.DataFrame, start: dt.date, end: dt.date, grain: Grain
) -> list[PeriodFigures]:
    """Figures of each window of `grain` in [start, end], merged from daily aggregates."""
    return [
        period_figures(daily, first, last) for first, last in windows_between(start, end, grain)
    ]


def earlier_windows(start: dt.date, end: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The `count` windows of the same length before [start, end], latest first."""
    windows = []
    for _ in range(count):
        start, end = previous_window(start, end)
        windows.append((start, end))
    return windows


def year_to_date(end: dt.date) -> tuple[dt.date, dt.date]:
    """From 1 January of `end`'s year to `end`."""
    return dt.date(end.year, 1, 1), end


def previous_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The window of the same length just before [start, end]."""
    length = end - start + dt.timedelta(days=1)
    return start - length, start - dt.timedelta(days=1)


@dataclass(frozen=True)
class ModelLife:
    """The first and last day a model has predictions, over all it has stored: days of a
    window outside them are outside its life, neither value nor missed volume."""

    first_day: dt.date
    last_day: dt.date

    def days_in(self, start: dt.date, end: dt.date) -> int:
        """Days of [start, end] within the model's life (0 when they do not overlap)."""
        return max(0, (min(end, self.last_day) - max(start, self.first_day)).days + 1)

    def days_before(self, start: dt.date, end: dt.date) -> int:
        """Days of [start, end] before the model's first prediction."""
        return max(0, (min(end + dt.timedelta(days=1), self.first_day) - start).days)

    def days_after(self, start: dt.date, end: dt.date) -> int:
        """Days of [start, end] after the model's last prediction."""
        return max(0, (end - max(start - dt.timedelta(days=1), self.last_day)).days)
