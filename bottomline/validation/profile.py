"""What the reference says a model's inputs look like: types, null rates, categories, ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from bottomline.case.config import BusinessCase

Kind = Literal["numeric", "categorical"]


@dataclass(frozen=True)
class ColumnProfile:
    """One feature in the reference: share missing, and its range or its categories."""

    name: str
    kind: Kind
    null_rate: float  # share of reference rows without a value
    low: float | None = None  # numeric: reference minimum
    high: float | None = None  # numeric: reference maximum
    categories: tuple[str, ...] = ()  # categorical: every value seen in the reference


@dataclass(frozen=True)
class ReferenceProfile:
    columns: dict[str, ColumnProfile]
    model_versions: tuple[str, ...]  # empty when the reference has no version column


def column_kinds(case: BusinessCase, reference_schema: pl.Schema | None) -> dict[str, Kind]:
    """How each kept column is stored and checked. In order: value-rule inputs are numbers;
    features listed in `predictions.categorical` are categories; other columns that are not
    features (segments, fairness) are categories; when `categorical` is given, the remaining
    features are numbers; otherwise the reference's type decides."""
    value_inputs = case.value.columns()
    declared = case.predictions.categorical
    kinds: dict[str, Kind] = {}
    for column in case.kept_columns():
        if column in value_inputs:
            kinds[column] = "numeric"
        elif (
            declared is not None and column in declared
        ) or column not in case.predictions.features:
            kinds[column] = "categorical"
        elif declared is not None:
            kinds[column] = "numeric"
        else:
            dtype = reference_schema.get(column) if reference_schema is not None else None
            kinds[column] = (
                "numeric" if dtype is not None and dtype.is_numeric() else ("categorical")
            )
    return kinds


def profile_reference(reference: pl.DataFrame, case: BusinessCase) -> ReferenceProfile:
    """Profile of the case's features as the reference has them."""
    kinds = column_kinds(case, reference.schema)
    columns = {}
    for name in case.predictions.features:
        if name not in reference.columns:
            continue
        columns[name] = _profile_column(reference, name, kinds[name])
    versions: tuple[str, ...] = ()
    if "model_version" in reference.columns:
        versions = tuple(sorted(reference["model_version"].drop_nulls().cast(pl.String).unique()))
    return ReferenceProfile(columns=columns, model_versions=versions)


def _profile_column(reference: pl.DataFrame, name: str, kind: Kind) -> ColumnProfile:
    values = reference[name]
    rows = max(reference.height, 1)
    if kind == "numeric":
        numbers = values.cast(pl.Float64, strict=False)
        present = numbers.filter(numbers.is_not_null() & numbers.is_finite())
        null_rate = (rows - present.len()) / rows
        low = float(present.min()) if present.len() else None  # type: ignore[arg-type]
        high = float(present.max()) if present.len() else None  # type: ignore[arg-type]
        return ColumnProfile(name, kind, null_rate, low=low, high=high)
    text = values.cast(pl.String)
    categories = tuple(sorted(text.drop_nulls().unique()))
    return ColumnProfile(name, kind, text.null_count() / rows, categories=categories)
