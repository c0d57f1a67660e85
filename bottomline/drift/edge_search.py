"""Bin numbers for millions of values against a fixed, sorted set of edges, fast.

Same answer as `np.searchsorted(edges, x, side="left")` (the number of edges below x), about
three times faster for the 1,001 reference quantile edges. A uniform grid of cells spans the
edges' range, and `cell(x)` = floor((x - low) * scale), clipped to the grid. Every step of
`cell` is monotone in floating point, so for an edge e: cell(e) < cell(x) implies e < x, and
cell(e) > cell(x) implies e > x. In a cell that holds no edge's cell number, every value
therefore has the same answer, the number of edges in lower cells, read from a table. Only
values in cells that hold an edge (about 1% of a quantile-binned column; all of them in a
long-tailed column whose edges crowd a few cells) get a binary search.
"""

from __future__ import annotations

import numpy as np

GRID_CELLS = 1 << 18
MIXED = -1  # the table's mark for a cell that holds an edge


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
        edge_cells = self._cells(self.edges)  # increasing, as the edges are
        below = np.searchsorted(edge_cells, np.arange(GRID_CELLS), side="left")
        below[edge_cells] = MIXED
        self.table = below.astype(np.int32)  # 1 MB: stays in cache

    def _cells(self, values: np.ndarray) -> np.ndarray:
        position = values - self.low
        position *= self.scale
        np.clip(position, 0, GRID_CELLS - 1, out=position)
        return position.astype(np.int32)

    def search(self, values: np.ndarray) -> np.ndarray:
        """For each value (no NaN), how many edges are below it: its bin number (int32 when
        the edges are gridded, as few bins as there are edges)."""
        if not self.gridded:
            return np.searchsorted(self.edges, values, side="left")
        index = np.take(self.table, self._cells(values))
        mixed = np.flatnonzero(index == MIXED)
        if mixed.size:
            index[mixed] = np.searchsorted(self.edges, values[mixed], side="left")
        return index
