"""The score's distribution in the window against the reference, from their profiles."""

from __future__ import annotations

from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from bottomline.report.chart_style import MM, REALIZED, REFERENCE, STYLE, to_svg
from bottomline.report.score_bands import SCORE_BINS


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
