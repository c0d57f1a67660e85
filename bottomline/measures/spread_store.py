"""The calibration spread in the warehouse (`calibration_spread`): fitted again only when the
reference, the value rules or the calibration method change. A regression model's spread is
its error model's (`bottomline.measures.regression`), stored the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb
import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.drift.bins import reference_fingerprint
from bottomline.measures.calibration import Calibrator
from bottomline.measures.calibration_spread import CalibrationSpread, fingerprint, fit_spread
from bottomline.measures.error_model import DRAWS, PREDICTION_BINS, SHAPE_GROUPS, ErrorModel
from bottomline.measures.multiclass import ClassCalibration, fit_class_spread
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row, run, transaction


def wanted_fingerprint(case: BusinessCase, reference: pl.DataFrame) -> str | None:
    """The fingerprint a spread for this reference and case has; None when the case takes
    scores at face value (no spread)."""
    if case.is_regression:
        rule = case.value.per_prediction
        assert rule is not None  # a regression case has its rule (checked at load)
        method = f"regression errors: {PREDICTION_BINS} bins, {DRAWS} draws, {SHAPE_GROUPS} groups"
        return fingerprint(reference_fingerprint(reference), method, rule.text)
    if case.calibration == "none":
        return None
    if case.is_multiclass:
        rules = "\n".join(f"{name}={rule.text}" for name, rule in case.value.cells().items())
        method = f"multiclass {case.calibration} by decided class: {', '.join(case.score_columns)}"
        return fingerprint(reference_fingerprint(reference), method, rules)
    rules = "\n".join(f"{name}={rule.text}" for name, rule in case.value.cells().items())
    method = f"{case.calibration}, with the switch calibration"
    return fingerprint(reference_fingerprint(reference), method, rules)


def spread_is_current(con: duckdb.DuckDBPyConnection, model: str, wanted: str | None) -> bool:
    """Whether the stored spread (or its absence, when none is wanted) is the wanted one."""
    stored = first_row(con, load_sql("measures/calibration/spread_fingerprint"), {"model": model})
    return (stored[0] if stored else None) == wanted


def current_spread(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    reference: pl.DataFrame,
    calibrator: Calibrator,
    stakes: np.ndarray | None,
    now: dt.datetime,
    switch: tuple[Calibrator, np.ndarray | None] | None = None,
) -> CalibrationSpread | None:
    """A classifier's spread for this reference and case: the stored one, or fitted and
    stored now; with `switch` (the switch calibration and its stakes), carrying its spread
    too (`CalibrationSpread.with_switch`)."""

    def fit() -> CalibrationSpread:
        spread = fit_spread(reference, case.calibration, stakes, calibrator)
        assert spread is not None  # a spread is wanted (calibration is not 'none')
        if switch is not None:
            switched = fit_spread(reference, case.calibration, switch[1], switch[0])
            assert switched is not None
            spread = spread.with_switch(switched)
        return spread

    return _current(con, case, reference, fit, now)


def current_error_spread(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    reference: pl.DataFrame,
    errors: ErrorModel,
    now: dt.datetime,
) -> CalibrationSpread:
    """A regression model's spread (its error model's replicates), stored when new."""
    spread = _current(con, case, reference, lambda: errors.spread(reference), now)
    assert spread is not None  # a regression case always wants one
    return spread


def current_class_spread(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    reference: pl.DataFrame,
    classes: ClassCalibration,
    now: dt.datetime,
) -> CalibrationSpread | None:
    """A multiclass model's spread (every class map's replicates), stored when new; None
    when its scores are taken at face value."""

    def fit() -> CalibrationSpread:
        spread = fit_class_spread(reference, case, classes)
        assert spread is not None  # a spread is wanted (calibration is not 'none')
        return spread

    return _current(con, case, reference, fit, now)


def _current(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    reference: pl.DataFrame,
    fit: Callable[[], CalibrationSpread],
    now: dt.datetime,
) -> CalibrationSpread | None:
    wanted = wanted_fingerprint(case, reference)
    if wanted is None:
        return None
    if spread_is_current(con, case.name, wanted):
        return stored_spread(con, case.name)
    spread = fit()
    _store(con, case.name, wanted, spread, now)
    return spread


def stored_spread(con: duckdb.DuckDBPyConnection, model: str) -> CalibrationSpread | None:
    """The model's stored spread; None before one was fitted."""
    rows = con.sql(load_sql("measures/calibration/spread_rows"), params={"model": model}).pl()
    if rows.is_empty():
        return None
    bins = int(rows["score_bin"].max()) + 1
    edges = rows.filter(pl.col("replicate") == 0, pl.col("upper_edge").is_not_null())
    first = str(edges["calibration"][0]) if edges.height else None
    upper_edges = edges.filter(pl.col("calibration") == first).sort("score_bin")["upper_edge"]
    shifts = {
        str(name): group.sort("replicate", "score_bin")["shift"].to_numpy().reshape(-1, bins)
        for (name,), group in rows.group_by("calibration")
    }
    return CalibrationSpread(upper_edges=upper_edges.to_numpy(), shifts=shifts)


def _store(
    con: duckdb.DuckDBPyConnection,
    model: str,
    wanted: str,
    spread: CalibrationSpread,
    now: dt.datetime,
) -> None:
    frames = []
    for name, shifts in spread.shifts.items():
        replicates, bins = shifts.shape
        edges = [*spread.upper_edges.tolist(), None]
        frames.append(
            pl.DataFrame(
                {
                    "calibration": [name] * (replicates * bins),
                    "score_bin": np.tile(np.arange(bins, dtype=np.int32), replicates),
                    "upper_edge": edges * replicates,
                    "replicate": np.repeat(np.arange(replicates, dtype=np.int32), bins),
                    "shift": shifts.reshape(-1),
                },
                schema_overrides={"upper_edge": pl.Float64},
            )
        )
    con.register("new_spread", pl.concat(frames))
    try:
        with transaction(con):
            run(con, load_sql("measures/calibration/spread_replace"), {"model": model})
            run(
                con,
                load_sql("measures/calibration/spread_insert"),
                {"model": model, "fingerprint": wanted, "now": now},
            )
    finally:
        con.unregister("new_spread")
