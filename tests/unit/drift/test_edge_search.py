"""EdgeIndex.search equals np.searchsorted(edges, x, side="left") on every kind of column."""

from __future__ import annotations

import numpy as np
import pytest

from bottomline.drift.edge_search import EdgeIndex

RNG = np.random.default_rng(5)


def quantile_edges(sample: np.ndarray) -> np.ndarray:
    return np.unique(np.quantile(sample, np.linspace(0.0, 1.0, 1001)))


CASES = {
    "normal": quantile_edges(RNG.normal(size=50_000)),
    "long tail": quantile_edges(RNG.pareto(0.7, size=50_000)),  # crowded cells
    "amounts": quantile_edges(RNG.lognormal(9.5, 0.5, size=50_000).round(0)),
    "few values": np.array([0.0, 1.0, 2.0]),
    "one edge": np.array([3.5]),
    "no edges": np.array([], dtype=float),
    "huge range": np.array([-1e308, -1.0, 0.0, 1e-300, 1.0, 1e308]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_search_equals_searchsorted(name: str) -> None:
    edges = CASES[name]
    span = (float(edges.min()), float(edges.max())) if len(edges) else (0.0, 1.0)
    values = np.concatenate(
        [
            RNG.uniform(span[0] - 1, span[1] + 1, 20_000) if span[1] - span[0] < 1e300 else [],
            RNG.normal(size=20_000),
            RNG.pareto(0.7, size=20_000),
            edges,  # exactly on an edge: the bin that edge closes
            np.nextafter(edges, np.inf),
            np.nextafter(edges, -np.inf),
            [np.inf, -np.inf, 0.0, -0.0],
        ]
    )
    expected = np.searchsorted(edges, values, side="left")
    assert np.array_equal(EdgeIndex(edges).search(values), expected)
