"""Report windows and the days of a range. Dates are days in a case's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


class PeriodError(ValueError):
    """A window that does not make sense (start after end)."""


def trailing_window(as_of: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The `days` days ending on `as_of`, inclusive."""
    return as_of - dt.timedelta(days=days - 1), as_of


def checked_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    if start > end:
        raise PeriodError(f"the start {start} is after the end {end}")
    return start, end


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from start to end, inclusive."""
    checked_window(start, end)
    return [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]


def yesterday(now_utc: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The day before `now_utc`'s date in `zone`: the default as-of of a nightly run."""
    return (now_utc.astimezone(zone) - dt.timedelta(days=1)).date()


def today(now_utc: dt.datetime, zone: ZoneInfo) -> dt.date:
    """`now_utc`'s date in `zone` (a naive time is read as UTC)."""
    aware = now_utc if now_utc.tzinfo else now_utc.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone).date()
