"""Bin numbers for millions of values against a fixed, sorted set of edges, fast.

Same answer as `np.searchsorted(edges, x, side="left")` (the number of edges below x), about
three times faster for the 1,001 reference quantile edges: a uniform grid over the edges'
range gives each value a first guess, which a few vectorised steps correct. Values in the
rare grid cells that hold many edges (a long-tailed column) fall back to a binary search.
"""

from __future__ import annotations

import numpy as np

GRID_CELLS = 1 << 16
MAX_EDGES_PER_CELL = 4  # more in a cell: binary search for its values


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
        self.crowded = np.diff(self.first) > MAX_EDGES_PER_CELL

    def search(self, values: np.ndarray) -> np.ndarray:
        """For each value (no NaN), how many edges are below it: its bin number."""
        if not self.gridded:
            return np.searchsorted(self.edges, values, side="left")
        position = np.clip((values - self.low) * self.scale, 0, GRID_CELLS - 1)
        cell = position.astype(np.intp)
        index = self.first[cell]
        crowded = self.crowded[cell]
        if crowded.any():
            index[crowded] = np.searchsorted(self.edges, values[crowded], side="left")
        guessed = np.flatnonzero(~crowded)
        self._step_up(index, values, guessed)
        self._step_down(index, values, guessed)
        return index

    def _step_up(self, index: np.ndarray, values: np.ndarray, rows: np.ndarray) -> None:
        """Move past edges still below the value."""
        last = len(self.edges) - 1
        while rows.size:
            at = index[rows]
            below = (at <= last) & (self.edges[np.minimum(at, last)] < values[rows])
            rows = rows[below]
            index[rows] += 1

    def _step_down(self, index: np.ndarray, values: np.ndarray, rows: np.ndarray) -> None:
        """Move back over edges at or above the value (a guess past it by rounding)."""
        while rows.size:
            at = index[rows]
            above = (at > 0) & (self.edges[np.maximum(at - 1, 0)] >= values[rows])
            rows = rows[above]
            index[rows] -= 1
