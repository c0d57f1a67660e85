"""Bins fixed from the reference, one set per profiled column.

Numeric: edges at the reference's 1,001 quantile levels (0, 0.001, ..., 1), duplicates
dropped. A value x falls in bin j when e[j-1] < x <= e[j] (bin 0: x <= e[0], the reference
minimum; bin m: x > e[m-1], above the reference maximum), so an empirical CDF is exact at every
edge. Categorical: one bin per value, named by it; values the reference never saw keep their
names. Missing values go to the bin `_null`. Profiled: the case's features, the score, the
decision and the label (the label only once known).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.drift.edge_search import EdgeIndex
from bottomline.validation.profile import column_kinds

Kind = Literal["numeric", "categorical"]
NULL_BIN = "_null"
QUANTILE_LEVELS = np.linspace(0.0, 1.0, 1001)
MODEL_COLUMNS: dict[str, Kind] = {
    "score": "numeric",
    "decision": "categorical",
    "label": "categorical",
}
REGRESSION_COLUMNS: dict[str, Kind] = {"score": "numeric"}  # a regression model's prediction


@dataclass(frozen=True, eq=False)
class ColumnBins:
    """How one column is binned."""

    column: str
    kind: Kind
    edges: np.ndarray  # numeric: increasing; categorical: empty
    decile_edges: np.ndarray  # numeric: the reference's deciles, a subset of `edges`
    reference_mean: float | None
    reference_std: float | None

    def bin_of(self, values: pl.Series) -> pl.Series:
        """The bin name of each value (text: a number for numeric bins)."""
        if self.kind == "categorical":
            text = values.cast(pl.String)
            return text.fill_null(NULL_BIN).rename("bin")
        _, index = self.numeric_bins(values)
        names = np.where(index < 0, NULL_BIN, index.astype(str))
        return pl.Series("bin", names, dtype=pl.String)

    @cached_property
    def _edge_index(self) -> EdgeIndex:
        return EdgeIndex(self.edges)

    def numeric_bins(self, values: pl.Series) -> tuple[np.ndarray, np.ndarray]:
        """Numeric: each value as a float (NaN when missing) and its bin number j, where
        e[j-1] < x <= e[j] (-1 when missing)."""
        numbers = values.cast(pl.Float64, strict=False).fill_null(np.nan).to_numpy()
        missing = np.isnan(numbers)
        if not missing.any():  # the common case: no copy with the gaps filled
            return numbers, self._edge_index.search(numbers)
        index = self._edge_index.search(np.where(missing, 0.0, numbers))
        index[missing] = -1
        return numbers, index


def profiled_columns(case: BusinessCase, reference_schema: pl.Schema) -> dict[str, Kind]:
    """The columns drift watches, and how each is binned."""
    kinds = column_kinds(case, reference_schema)
    model_columns = REGRESSION_COLUMNS if case.is_regression else MODEL_COLUMNS
    if case.is_multiclass:  # each class's score, then the decided and true classes
        model_columns = dict.fromkeys(case.score_columns, "numeric")
        model_columns |= {"decision": "categorical", "label": "categorical"}
    return {**{column: kinds[column] for column in case.predictions.features}, **model_columns}


def build_bins(reference: pl.DataFrame, case: BusinessCase) -> list[ColumnBins]:
    """Bins of every profiled column the reference has."""
    bins = []
    for column, kind in profiled_columns(case, reference.schema).items():
        if column not in reference.columns:
            continue
        if kind == "categorical":
            bins.append(ColumnBins(column, kind, np.array([]), np.array([]), None, None))
            continue
        values = reference[column].cast(pl.Float64, strict=False).drop_nulls().drop_nans()
        if values.len() == 0:
            continue
        array = values.to_numpy()
        levels = np.quantile(array, QUANTILE_LEVELS)
        bins.append(
            ColumnBins(
                column,
                kind,
                np.unique(levels),
                np.unique(levels[100:1000:100]),
                float(array.mean()),
                float(array.std()),
            )
        )
    return bins


def reference_fingerprint(reference: pl.DataFrame) -> str:
    """Changes whenever the reference's rows do (the edges are then rebuilt)."""
    digest = hashlib.sha256()
    digest.update(",".join(f"{name}:{dtype}" for name, dtype in reference.schema.items()).encode())
    digest.update(reference.hash_rows(seed=0).to_numpy().tobytes())
    return digest.hexdigest()
