"""Numbers and dates written for people: EUR 2.09M, -1.2%, 14,302, 1-30 April 2026."""

from __future__ import annotations

import datetime as dt
import math

_SCALES = [(1e9, "B"), (1e6, "M"), (1e3, "K")]


def money(amount: float, currency: str) -> str:
    """Amount with three significant digits and a scale: EUR 2.09M, -EUR 812K, EUR 950."""
    if not math.isfinite(amount):
        return f"{currency} n/a"
    sign = "-" if amount < 0 and round(abs(amount)) > 0 else ""
    size = abs(amount)
    for threshold, suffix in _SCALES:
        if size >= threshold * 0.9995:
            scaled = size / threshold
            decimals = 2 if scaled < 10 else 1 if scaled < 100 else 0
            return f"{sign}{currency} {scaled:.{decimals}f}{suffix}"
    return f"{sign}{currency} {size:,.0f}"


def money_each(amount: float, currency: str) -> str:
    """An amount per prediction: as `money`, with cents under 100 unless it is whole
    (EUR 11.34 against EUR 10.71, where `money` would print EUR 11 against EUR 11)."""
    cents = round(abs(amount) * 100) if math.isfinite(amount) else 0
    if 0 < cents < 9999.5 and cents % 100:
        return f"{'-' if amount < 0 else ''}{currency} {abs(amount):.2f}"
    return money(amount, currency)


def count(number: int) -> str:
    """A whole number with thousands separators: 14,302."""
    return f"{number:,}"


def plural(number: int, word: str, words: str | None = None) -> str:
    """14,302 loans, 1 loan."""
    return f"{number:,} {word if number == 1 else words or word + 's'}"


def percent(share: float | None, signed: bool = False, decimals: int = 1) -> str:
    """A share as a percentage: 0.012 -> 1.2% (or +1.2% when `signed`)."""
    if share is None or not math.isfinite(share):
        return "n/a"
    text = f"{abs(share) * 100:.{decimals}f}%"
    if float(text[:-1]) == 0:
        return text
    if share < 0:
        return "-" + text
    return ("+" if signed else "") + text


def day(value: dt.date) -> str:
    """22 November 2026."""
    return f"{value.day} {value:%B %Y}"


def short_day(value: dt.date) -> str:
    """22 Nov."""
    return f"{value.day} {value:%b}"


def period(start: dt.date, end: dt.date) -> str:
    """A window for a heading: 22 November 2026, November 2026, 24 October - 22 November 2026."""
    if start == end:
        return day(start)
    if is_calendar_month(start, end):
        return f"{start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} - {day(end)}"
    return f"{day(start)} - {day(end)}"


def period_phrase(start: dt.date, end: dt.date) -> str:
    """A window inside a sentence: on 22 November 2026, in November 2026, from 1 to 15 May."""
    text = period(start, end)
    if start == end:
        return f"on {text}"
    if text[0].isalpha():
        return f"in {text}"
    return "from " + text.replace(" - ", " to ", 1).replace("-", " to ", 1)


def is_calendar_month(start: dt.date, end: dt.date) -> bool:
    """Whether [start, end] is one whole calendar month."""
    same_month = (start.year, start.month) == (end.year, end.month)
    return start.day == 1 and _is_month_end(end) and same_month


def _is_month_end(value: dt.date) -> bool:
    return (value + dt.timedelta(days=1)).day == 1


def plain_number(value: float) -> str:
    """A number as people write it, never in scientific notation: 60,680, 12.3, 0.44, 0.0031
    (whole numbers from 100 up, else three significant digits)."""
    if not math.isfinite(value):
        return "n/a"
    if abs(value) >= 100 or value == 0:
        return f"{round(value):,}"
    decimals = 2 - math.floor(math.log10(abs(value)))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def column_value(value: float, column_format: str, currency: str) -> str:
    """A value of a column in the format the case gives it (see BusinessCase.formats)."""
    if column_format == "money":
        return money(value, currency)
    if column_format == "percent":
        return percent(value, decimals=0 if abs(value) >= 0.1 else 1)
    if column_format == "integer":
        return f"{round(value):,}"
    return plain_number(value)
