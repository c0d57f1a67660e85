"""The score's distribution in equal-width bands, from a profile of its fine bins (the data of
page 3's score chart; drawn in `drift_charts`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from bottomline.drift.bins import NULL_BIN, ColumnBins

SCORE_BINS = 20  # equal-width bins of the score for the chart


def score_shares(bins: ColumnBins, profile: pl.DataFrame) -> np.ndarray:
    """Share of rows per equal-width score band, from a profile of the score's fine bins. Bins
    and bands are both closed on the right, so a fine bin goes to the band holding its upper
    edge: (0.05, 0.10] for an edge of 0.10."""
    rows = profile.filter(pl.col("bin") != NULL_BIN)
    upper = np.append(bins.edges, 1.0)
    index = rows["bin"].cast(pl.Int64).to_numpy()
    band = np.ceil(upper[index] * SCORE_BINS - 1e-9).astype(int) - 1
    slot = np.clip(band, 0, SCORE_BINS - 1)
    counts = np.bincount(slot, weights=rows["count"].to_numpy(), minlength=SCORE_BINS)
    total = counts.sum()
    shares: np.ndarray = counts / total if total else counts
    return shares
