"""Bin numbers for millions of values against a fixed, sorted set of edges, fast.

Same answer as `np.searchsorted(edges, x, side="left")` (the number of edges below x), about
four times faster for the 1,001 reference quantile edges: a uniform grid over the edges'
range gives each value the edges below its cell, and one step counts the cell's edge if it is
below the value. Every answer is then checked (the edge before it is below the value, the edge
at it is not); the few that fail, values in cells that hold several edges (a long-tailed
column) or on a cell's border after rounding, get a binary search.
"""

from __future__ import annotations

import numpy as np

GRID_CELLS = 1 << 16


class EdgeIndex:
    """Sorted, distinct edges, indexed for `search`."""

    def __init__(self, edges: np.ndarray) -> None:
        self.edges = np.asarray(edges, dtype=float)
        low, high = (float(self.edges[0]), float(self.edges[-1])) if len(edges) else (0.0, 0.0)
        width = high - low  # Python floats: inf, without a warning, when it overflows
        self.gridded = len(self.edges) > 1 and 0 < width < float("inf")
        if not self.gridded:
            return
        self.low, self.scale = low, GRID_CELLS / width
        starts = self.low + np.arange(GRID_CELLS + 1) / self.scale
        self.first = np.searchsorted(self.edges, starts, side="left")  # first edge >= start
        self.at = np.append(self.edges, np.inf)  # at[j]: edge j; past the last edge, +inf
        self.before = np.insert(self.edges, 0, -np.inf)  # before[j]: edge j - 1, or -inf

    def search(self, values: np.ndarray) -> np.ndarray:
        """For each value (no NaN), how many edges are below it: its bin number."""
        if not self.gridded:
            return np.searchsorted(self.edges, values, side="left")
        position = (values - self.low) * self.scale
        np.clip(position, 0, GRID_CELLS - 1, out=position)
        index = self.first[position.astype(np.intp)]
        index += self.at[index] < values  # the cell's first edge, when below the value
        wrong = np.flatnonzero((self.before[index] >= values) | (self.at[index] < values))
        if wrong.size:
            index[wrong] = np.searchsorted(self.edges, values[wrong], side="left")
        return index
