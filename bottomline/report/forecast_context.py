"""A regression model's errors, for its report: how far off its predictions were, and what
predicting too little and too much cost against a perfect prediction (currency)."""

from __future__ import annotations

from typing import Any

from bottomline.measures.figures import ForecastErrors
from bottomline.report.formatting import money, percent
from bottomline.report.narrative import Units


def _amount(value: float | None) -> str:
    """An error in the model's own unit, to three significant digits."""
    return "n/a" if value is None else f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def forecast_errors_context(errors: ForecastErrors | None, currency: str) -> dict[str, Any] | None:
    """The error table of page two; None for a classifier, or before any actual is known."""
    if errors is None or errors.matured == 0:
        return None
    bias = errors.bias
    return {
        "mae": _amount(errors.mean_absolute_error),
        "rmse": _amount(errors.root_mean_squared_error),
        "bias": ("+" if bias is not None and bias > 0 else "") + _amount(bias),
        "mape": percent(errors.mean_absolute_percent_error),
        "under": f"{errors.under_predicted:,}",
        "over": f"{errors.over_predicted:,}",
        "cost_under": money(errors.cost_under, currency),
        "cost_over": money(errors.cost_over, currency),
    }


def forecast_cost_sentence(
    errors: ForecastErrors | None, currency: str, units: Units
) -> str | None:
    """Which way the predictions cost more, against perfect ones: "Against perfect
    predictions, predicting too much gave up EUR 890K (on 120,400 forecasts) and predicting
    too little EUR 500K (on 98,300): ..." """
    if errors is None or errors.matured == 0:
        return None
    over = (errors.cost_over, "too much", errors.over_predicted)
    under = (errors.cost_under, "too little", errors.under_predicted)
    larger, smaller = (over, under) if errors.cost_over >= errors.cost_under else (under, over)
    return (
        f"Against perfect predictions, predicting {larger[1]} gave up "
        f"{money(larger[0], currency)} (on {units.of(larger[2])}) and predicting {smaller[1]} "
        f"{money(smaller[0], currency)} (on {smaller[2]:,}): the most better predictions "
        "could add, not money lost."
    )
