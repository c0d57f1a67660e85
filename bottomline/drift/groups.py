"""Where a drifted column moved, and what that did to value.

The column's groups (the reference's deciles, or its categories) with the share of predictions
in each, in the reference and in the window, and the value each group realized per matured
prediction in the window. `shift_value` estimates what the move alone changed: the window's
matured predictions times sum over groups of (window share - reference share) * value per
prediction, in currency.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.drift.bins import NULL_BIN, ColumnBins
from bottomline.validation.shown_values import capped

MAX_CATEGORIES = 12


Bounds = tuple[float | None, float | None]  # a decile's (low, high]; None: open-ended


@dataclass(frozen=True)
class DriftGroup:
    label: str  # a category as written, or a decile as "0.2 to 0.3" (see `bounds`)
    reference_share: float
    window_share: float
    value_per_prediction: float | None  # window, realized per matured prediction
    bounds: Bounds | None = None  # numeric columns: the decile's edges, for the report to write


@dataclass(frozen=True)
class DriftGroups:
    column: str
    groups: list[DriftGroup]
    shift_value: float  # currency


def drift_groups(
    bins: ColumnBins,
    reference: pl.DataFrame,
    window: pl.DataFrame,
) -> DriftGroups:
    """Groups of one column from its reference and window profile rows."""
    decile_of = decile_labels(bins) if bins.kind == "numeric" else None
    bounds_of = decile_bounds(bins) if bins.kind == "numeric" else {}
    frames = []
    for side, rows in (("reference", reference), ("window", window)):
        present = rows.filter(pl.col("bin") != NULL_BIN)
        group = pl.col("bin").replace_strict(decile_of) if decile_of else pl.col("bin")
        grouped = present.with_columns(group.alias("group"))
        frames.append(
            grouped.group_by("group").agg(
                (pl.col("count").sum() / present["count"].sum()).alias(f"{side}_share"),
                pl.col("matured").sum().alias(f"{side}_matured"),
                pl.col("realized_value").sum().alias(f"{side}_realized"),
            )
        )
    table = frames[0].join(frames[1], on="group", how="full", coalesce=True).fill_null(0)
    table = _ordered(table, bins)
    groups = [
        DriftGroup(
            capped(row["group"]),  # a category is a source value: shown, so capped
            row["reference_share"],
            row["window_share"],
            row["window_realized"] / row["window_matured"] if row["window_matured"] else None,
            bounds_of.get(row["group"]),
        )
        for row in table.iter_rows(named=True)
    ]
    matured = float(table["window_matured"].sum())
    shift = matured * sum(
        (g.window_share - g.reference_share) * (g.value_per_prediction or 0.0) for g in groups
    )
    return DriftGroups(bins.column, groups, shift)


def decile_labels(bins: ColumnBins) -> dict[str, str]:
    """Each fine bin's name mapped to the label of the reference decile holding it."""
    edges, deciles = bins.edges, bins.decile_edges
    labels = list(_decile_names(deciles))
    index = np.searchsorted(deciles, np.append(edges, np.inf), side="left")
    return {str(number): labels[int(decile)] for number, decile in enumerate(index)}


def decile_bounds(bins: ColumnBins) -> dict[str, Bounds]:
    """Each decile's label (as in `decile_labels`) with its edges."""
    deciles = [float(edge) for edge in bins.decile_edges]
    edges: list[Bounds] = [(None, deciles[0])] if deciles else [(None, None)]
    edges += list(itertools.pairwise(deciles))
    if deciles:
        edges.append((deciles[-1], None))
    return dict(zip(_decile_names(bins.decile_edges), edges, strict=True))


def _decile_names(deciles: np.ndarray) -> list[str]:
    if not len(deciles):
        return ["all"]
    names = [f"up to {deciles[0]:.4g}"]
    names += [f"{a:.4g} to {b:.4g}" for a, b in itertools.pairwise(deciles)]
    return [*names, f"above {deciles[-1]:.4g}"]


def _ordered(table: pl.DataFrame, bins: ColumnBins) -> pl.DataFrame:
    """Deciles low to high; categories largest first (at most 12)."""
    if bins.kind == "numeric":
        order = {
            label: position
            for position, label in enumerate(dict.fromkeys(decile_labels(bins).values()))
        }
        return table.sort(pl.col("group").replace_strict(order, default=len(order)))
    size = pl.max_horizontal("reference_share", "window_share")
    return table.sort(size, descending=True).head(MAX_CATEGORIES)
