"""sql/measures/calibration/* and the stake sums: the calibration spread stored once per
reference, and the ranges that use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pytest

from bottomline.case.config import BusinessCase
from bottomline.ingest.run import IngestContext, ingest_model
from bottomline.measures.aggregate import bring_up_to_date, stale_days
from bottomline.measures.calibration_spread import POOLED, SWITCH
from bottomline.measures.spread_store import stored_spread
from bottomline.report.content import calibration_uncertainty
from bottomline.validation.gx_runner import GxValidator
from tests.helpers import make_case
from tests.sql.conftest import NOW, write_outcomes, write_predictions

MAY_1, MAY_2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)


@pytest.fixture
def calibrated(tmp_path: Path) -> BusinessCase:
    """The `loans` case with an isotonic calibration on a 3,000-row reference."""
    generator = np.random.default_rng(5)
    scores = generator.uniform(0, 1, 3_000).round(3)
    labels = (generator.uniform(size=3_000) < scores).astype(int)
    (tmp_path / "predictions").mkdir()
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "reference.csv").write_text(
        "p,y,version,amount,band\n"
        + "".join(
            f"{s},{y},v1,{100 + i % 7 * 50},{'AB'[i % 2]}\n"
            for i, (s, y) in enumerate(zip(scores, labels, strict=True))
        )
    )
    return make_case(tmp_path, calibration="isotonic")


def load(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> None:
    rows = [
        f"{i},2026-05-0{1 + i % 2}T08:00:00,{(i % 97) / 97:.3f},{int(i % 3 > 0)},v1,"
        f"{100 + i % 5 * 40},{'AB'[i % 2]}"
        for i in range(400)
    ]
    write_predictions(case, "p.csv", rows)
    write_outcomes(case, "o.csv", [f"{i},{i % 4 > 0:d}" for i in range(0, 400, 2)])
    ingest_model(con, IngestContext(case, "r1", NOW), GxValidator("r1", NOW))


def test_the_spread_is_fitted_once_per_reference_and_stakes_are_summed_per_bin(
    con: duckdb.DuckDBPyConnection, calibrated: BusinessCase
) -> None:
    load(con, calibrated)
    bring_up_to_date(con, calibrated, stale_days(con, "loans"), NOW)
    spread = stored_spread(con, "loans")
    assert spread is not None
    # the decision curve's switch calibration rides along (see CalibrationSpread.with_switch)
    assert set(spread.shifts) == {POOLED, "v1", f"{SWITCH}{POOLED}", f"{SWITCH}v1"}
    switch = spread.switch_part()
    assert switch is not None
    assert set(switch.shifts) == {POOLED, "v1"}
    fitted_at = con.execute("SELECT DISTINCT fitted_at FROM calibration_spread").fetchall()
    bring_up_to_date(con, calibrated, [MAY_1], NOW + dt.timedelta(days=1))  # same reference
    assert con.execute("SELECT DISTINCT fitted_at FROM calibration_spread").fetchall() == (
        fitted_at
    )
    # the whole model's stakes are v1 - v0 per prediction: 0.1a + 0.5a if approved, else -10
    stakes = con.execute(
        "SELECT sum(stake_all), sum(stake_matured) FROM calibration_stakes_daily "
        "WHERE segment = '_all'"
    ).fetchone()
    approved = [i for i in range(400) if i % 3 > 0]
    expected_all = sum(0.6 * (100 + i % 5 * 40) for i in approved) - 10 * (400 - len(approved))
    matured = set(range(0, 400, 2))
    expected_matured = sum(0.6 * (100 + i % 5 * 40) if i % 3 > 0 else -10.0 for i in matured)
    assert stakes == (pytest.approx(expected_all), pytest.approx(expected_matured))
    per_segment = con.execute(
        "SELECT sum(stake_all) FROM calibration_stakes_daily WHERE segment = 'band'"
    ).fetchone()
    assert per_segment == (pytest.approx(expected_all),)


def test_the_ranges_widen_by_the_calibrations_variance(
    con: duckdb.DuckDBPyConnection, calibrated: BusinessCase
) -> None:
    load(con, calibrated)
    bring_up_to_date(con, calibrated, stale_days(con, "loans"), NOW)
    uncertainty = calibration_uncertainty(con, calibrated, MAY_1, MAY_2)
    whole = uncertainty.variances(MAY_1, MAY_2)
    assert whole[0] > 0
    assert whole[1] > 0
    by_band = [uncertainty.variances(MAY_1, MAY_2, "band", value)[0] for value in "AB"]
    assert 0 < max(by_band) < whole[0] * 1.5
    days = uncertainty.daily(MAY_1, MAY_2)
    assert days["day"].to_list() == [MAY_1, MAY_2]
    first, second = days["calibration_variance_matured"].to_list()
    assert first > 0
    assert second == 0.0  # no outcome of 2 May is known yet


def test_scores_at_face_value_have_no_spread(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "p.csv", ["1,2026-05-01T08:00:00,0.9,1,v1,100,A"])
    ingest_model(con, IngestContext(case, "r1", NOW), GxValidator("r1", NOW))
    bring_up_to_date(con, case, stale_days(con, "loans"), NOW)
    assert stored_spread(con, "loans") is None
    assert calibration_uncertainty(con, case, MAY_1, MAY_1).variances(MAY_1, MAY_1) == (0.0, 0.0)
