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
from bottomline.report.formatting import money


def threshold_curve(curve: DecisionCurve, currency: str) -> bytes:
    """Gain by threshold (currency) with its 95% range; the threshold in use and the highest
    marked, the highest with its amount. The axes show the gains around zero: deciding
    positive for almost everyone (or no one) loses so much it would flatten the rest, so
    thresholds whose gain falls below the floor are left out at both ends."""
    amounts = np.array([gain.amount for gain in curve.gains])
    lows = np.array([gain.low for gain in curve.gains])
    highs = np.array([gain.high for gain in curve.gains])
    best = curve.best_index
    top = max(float(highs.max()), 0.0)
    floor = -max(1.5 * top, 0.05 * abs(curve.decided_value), 1.0)
    shown = np.flatnonzero(amounts >= floor)
    marked = [best] + (
        [] if curve.threshold_in_use is None else [round(curve.threshold_in_use * 100)]
    )
    left = max(min(int(shown.min()), *marked) - 3, 0)
    right = min(max(int(shown.max()), *marked) + 3, len(amounts) - 1)
    with mpl.rc_context(cast("Any", STYLE)):
        figure = Figure(figsize=(170 * MM, 52 * MM))
        axes = figure.add_subplot()
        axes.fill_between(
            curve.thresholds, lows, highs, color=BAND, alpha=0.35, linewidth=0,
            label="Range (95%)",
        )  # fmt: skip
        axes.plot(curve.thresholds, amounts, color=REALIZED, linewidth=1.4,
                  label="More (or less) than the decisions made")  # fmt: skip
        axes.axhline(0, color=PROMISE, linewidth=0.6)
        if curve.threshold_in_use is not None:
            axes.axvline(curve.threshold_in_use, color=PROMISE, linestyle=(0, (3, 2)),
                         linewidth=1.0, label=f"In use: {curve.threshold_in_use:.2f}")  # fmt: skip
        axes.plot([curve.thresholds[best]], [amounts[best]], "o", color=GAIN, markersize=4,
                  label=f"Highest: {curve.best_threshold:.2f}")  # fmt: skip
        axes.annotate(
            money(amounts[best], currency), (curve.thresholds[best], amounts[best]),
            xytext=(4, 4), textcoords="offset points", fontsize=7, color=GAIN,
        )  # fmt: skip
        reach = max(top - floor, 1.0)
        axes.set_ylim(floor - 0.05 * reach, top + 0.15 * reach)
        axes.set_xlim(curve.thresholds[left], curve.thresholds[right])
        axes.yaxis.set_major_formatter(FuncFormatter(axis_money(currency)))
        axes.set_xlabel("Threshold (decide positive for every score at or above it)")
        axes.set_ylabel(f"{currency}, against the decisions made")
        axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, ncol=4)
        figure.tight_layout()
        return to_svg(figure)
