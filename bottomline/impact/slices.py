"""The same figures per segment value and per model version, and champion vs challenger."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import polars as pl

from bottomline.measures.figures import Z_95, PeriodFigures, period_figures
from bottomline.measures.metrics import ALL


@dataclass(frozen=True)
class Slice:
    """Figures of one value of one segment column (or one model version)."""

    segment: str  # column name; "model_version" for versions
    value: str
    figures: PeriodFigures


def segment_slices(
    metrics: pl.DataFrame,
    column: str,
    start: dt.date,
    end: dt.date,
) -> list[Slice]:
    """One slice per value of `column`, all versions together, most predictions first."""
    rows = metrics.filter(pl.col("segment") == column)
    return _slices(rows, "segment_value", column, start, end)


def version_slices(metrics: pl.DataFrame, start: dt.date, end: dt.date) -> list[Slice]:
    """One slice per model version (whole model), most predictions first."""
    rows = metrics.filter((pl.col("segment") == ALL) & (pl.col("model_version") != ALL))
    return _slices(rows, "model_version", "model_version", start, end)


def _slices(
    rows: pl.DataFrame,
    key: str,
    segment: str,
    start: dt.date,
    end: dt.date,
) -> list[Slice]:
    values = rows.filter(pl.col("day").is_between(start, end))[key].unique().to_list()
    slices = [
        Slice(segment, str(value), period_figures(rows.filter(pl.col(key) == value), start, end))
        for value in values
    ]
    if slices and all(band_order(s.value) is not None for s in slices):
        return sorted(slices, key=lambda s: (band_order(s.value), s.value))
    return sorted(slices, key=lambda s: (-s.figures.predictions, s.value))


BAND_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*([kKmM]?)")


def band_order(value: str) -> tuple[float, int] | None:
    """Where a band such as "<30k", "30-50k", "80k+", "35-50" or "over 65" falls in its natural
    order (its first number, "<"/"under" before, "+"/">"/"over" after); None for a value with no
    number (such values sort by size)."""
    found = BAND_NUMBER.findall(value)
    if not found:
        return None
    scale = next((suffix.lower() for _, suffix in found if suffix), "")  # "30-50k": both k
    number = float(found[0][0]) * {"k": 1e3, "m": 1e6}.get(scale, 1.0)
    text = value.lower()
    if text.startswith(("<", "under", "below", "up to")):
        return number, -1
    if text.startswith((">", "over", "above")) or text.rstrip().endswith("+"):
        return number, 1
    return number, 0


@dataclass(frozen=True)
class VersionComparison:
    """Does the challenger earn more (or less) per prediction than the champion, beyond noise?"""

    champion: Slice
    challenger: Slice
    difference: float  # challenger minus champion, realized value per matured prediction
    standard_error: float | None
    z: float | None

    @property
    def beyond_noise(self) -> bool:
        return self.z is not None and abs(self.z) > Z_95


def compare_versions(
    versions: list[Slice],
    champion: str | None = None,
) -> VersionComparison | None:
    """Champion (the named version, else the one with most predictions) against the next
    largest, by Welch's z on realized value per matured prediction."""
    matured = [version for version in versions if version.figures.matured > 0]
    if len(matured) < 2:
        return None
    first = next((v for v in matured if v.value == champion), matured[0])
    second = next(v for v in matured if v is not first)
    a, b = first.figures, second.figures
    difference = b.realized_value / b.matured - a.realized_value / a.matured  # both matured > 0
    spreads = (a.value_per_prediction_variance, b.value_per_prediction_variance)
    if spreads[0] is None or spreads[1] is None:
        return VersionComparison(first, second, difference, None, None)
    error = math.sqrt(spreads[0] / a.matured + spreads[1] / b.matured)
    z = difference / error if error > 0 else None
    return VersionComparison(first, second, difference, error, z)
