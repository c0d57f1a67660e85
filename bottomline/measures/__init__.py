"""Measures of value: per prediction, then per day, then per window.

Takes: stored predictions and outcomes. Gives: each prediction's realized and expected value
with calibrated probabilities (`metrics`, `calibration`, `calibration_spread`), the daily
aggregates of `metrics_daily` (`aggregate`, `spread_store`), and a window's figures summed
from them (`figures.PeriodFigures`), money in the case's currency.
"""

from __future__ import annotations

from bottomline.measures.figures import PeriodFigures, period_figures
from bottomline.measures.metrics import MEASURES

__all__ = ["MEASURES", "PeriodFigures", "period_figures"]
