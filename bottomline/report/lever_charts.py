"""Page two's decision curve: what each threshold would have earned over the decisions made."""

from __future__ import annotations

from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bottomline.impact.levers import DecisionCurve
from bottomline.report.chart_style import (
    BAND,
    GAIN,
    MM,
    PROMISE,
    REALIZED,
    STYLE,
    axis_money,
    to_svg,
)


def threshold_curve(curve: DecisionCurve, currency: str) -> bytes:
    """Gain by threshold (currency) with its 95% range; the threshold in use and the best
    marked. The axis shows the thresholds that earn within reach of the decisions made: far
    below them, deciding positive for almost everyone loses so much it would flatten the rest."""
    amounts = np.array([gain.amount for gain in curve.gains])
    lows = np.array([gain.low for gain in curve.gains])
    highs = np.array([gain.high for gain in curve.gains])
    with mpl.rc_context(cast("Any", STYLE)):
        figure = Figure(figsize=(170 * MM, 48 * MM))
        axes = figure.add_subplot()
        axes.fill_between(
            curve.thresholds, lows, highs, color=BAND, alpha=0.35, linewidth=0,
            label="Range (95%)",
        )  # fmt: skip
        axes.plot(curve.thresholds, amounts, color=REALIZED, linewidth=1.4,
                  label="Gain over the decisions made")  # fmt: skip
        axes.axhline(0, color=PROMISE, linewidth=0.6)
        if curve.threshold_in_use is not None:
            axes.axvline(curve.threshold_in_use, color=PROMISE, linestyle=(0, (3, 2)),
                         linewidth=1.0, label=f"In use: {curve.threshold_in_use:.2f}")  # fmt: skip
        best = curve.best_index
        axes.plot([curve.thresholds[best]], [amounts[best]], "o", color=GAIN, markersize=4,
                  label=f"Best: {curve.best_threshold:.2f}")  # fmt: skip
        top = max(float(highs.max()), 0.0)
        floor = min(max(float(lows.min()), -max(3 * top, 0.1 * abs(curve.decided_value))), 0.0)
        reach = max(top - floor, 1.0)
        axes.set_ylim(floor - 0.05 * reach, top + 0.1 * reach)
        shown = np.flatnonzero(lows >= floor - 0.05 * reach)
        left = curve.thresholds[shown[0]] if shown.size else 0.0
        axes.set_xlim(max(0.0, min(left, curve.best_threshold) - 0.05), 1.0)
        axes.yaxis.set_major_formatter(FuncFormatter(axis_money(currency)))
        axes.set_xlabel("Threshold: decide positive for every score at or above it")
        axes.set_ylabel(f"{currency} over the decisions made")
        axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, ncol=4)
        figure.tight_layout()
        return to_svg(figure)
