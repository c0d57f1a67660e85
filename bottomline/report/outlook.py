"""The report's forward questions, gathered from the warehouse: could the same predictions
have earned more (the decision curve, this window and the ones before), what the model adds
over the case's baseline rule, and when the window's figure becomes final."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.impact.finality import (
    HISTORY_DAYS,
    Finality,
    ForecastCheck,
    check_forecast,
    finality,
)
from bottomline.impact.levers import DecisionCurve, Gain, baseline_gain, decision_curve
from bottomline.impact.windows import earlier_windows
from bottomline.measures.calibration_spread import CalibrationSpread
from bottomline.measures.levers import CURVE_SCHEMA
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row

EARLIER_CURVES = 3  # "the three months before agree"


@dataclass(frozen=True)
class Outlook:
    curve: DecisionCurve | None = None  # a binary classifier's, with predictions in the window
    earlier_curves: list[DecisionCurve] = field(default_factory=list)  # latest first, with data
    baseline: Gain | None = None  # the decisions made over the case's baseline rule
    finality: Finality | None = None
    check: ForecastCheck | None = None  # the forecast made a window ago, against what came


def gather_outlook(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    start: dt.date,
    end: dt.date,
    spread: CalibrationSpread | None,
) -> Outlook:
    """The window's outlook; each part empty where the model's kind or data has none."""
    final, check = _finality(con, case, start, end)
    if case.is_multiclass or case.is_regression:  # no decision curve: the finality alone
        return Outlook(finality=final, check=check)
    windows = [(start, end), *earlier_windows(start, end, EARLIER_CURVES)]
    rows = (
        con.sql(
            load_sql("report/curve_window"),
            params={"model": case.name, "start": windows[-1][0], "end": end},
        )
        .pl()
        .cast(CURVE_SCHEMA)
    )
    switch = spread.switch_part() if spread is not None else None
    threshold = case.predictions.threshold
    found = [decision_curve(rows, switch, *window, threshold) for window in windows]
    earlier = [curve for curve in found[1:] if curve is not None]
    return Outlook(found[0], earlier, baseline_gain(rows, switch, start, end), final, check)


def _finality(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> tuple[Finality | None, ForecastCheck | None]:
    newest = first_row(con, load_sql("report/arrivals_newest"), {"model": case.name})
    if newest is None or newest[0] is None:
        return None, None
    as_of: dt.date = newest[0]
    length = dt.timedelta(days=(end - start).days + 1)
    since = {"model": case.name, "start": min(start, as_of) - length - dt.timedelta(HISTORY_DAYS)}
    arrivals = con.sql(load_sql("report/arrivals_history"), params=since).pl()
    predictions = con.sql(load_sql("report/daily_predictions"), params=since).pl()
    arrivals = arrivals.cast({"lag_days": pl.Int32, "outcomes": pl.Int64})
    return (
        finality(arrivals, predictions, start, end, as_of),
        check_forecast(arrivals, predictions, start, end, as_of),
    )
