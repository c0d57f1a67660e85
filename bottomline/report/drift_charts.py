"""The score's distribution in the window against the reference, from their profiles."""

from __future__ import annotations

from typing import Any, cast

import matplotlib as mpl
import numpy as np
import polars as pl
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from bottomline.drift.bins import NULL_BIN, ColumnBins
from bottomline.report.chart_style import MM, REALIZED, REFERENCE, STYLE, to_svg

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


def score_distribution(reference: np.ndarray, window: np.ndarray) -> bytes:
    """Reference as a grey outline, the window as dark bars, share per score band."""
    centres = (np.arange(SCORE_BINS) + 0.5) / SCORE_BINS
    with mpl.rc_context(cast("Any", STYLE)):
        figure = Figure(figsize=(170 * MM, 52 * MM))
        axes = figure.add_subplot()
        axes.bar(centres, window, width=0.8 / SCORE_BINS, color=REALIZED, label="This period")
        axes.step(
            np.append(centres - 0.5 / SCORE_BINS, 1.0),
            np.append(reference, reference[-1]),
            where="post",
            color=REFERENCE,
            linewidth=1.4,
            label="Reference",
        )
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.set_xlabel("Score (probability of the positive class)")
        axes.set_ylabel("Share of predictions")
        axes.set_xlim(0, 1)
        axes.legend(loc="upper left", frameon=False)
        figure.tight_layout()
        return to_svg(figure)
