"""sql/measures/aggregate/curve_* and arrivals_*, and the report's reads of them: the decision
curve and the outcome arrivals of a few literal rows, by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bottomline.measures.aggregate import aggregate_days, stale_days
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.report.outlook import gather_outlook
from tests.helpers import make_case
from tests.sql.conftest import NOW, ingest, write_outcomes, write_predictions
from tests.sql.test_aggregate_sql import MAY_1, MAY_2, SIX


@pytest.fixture
def aggregated(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The six rows, four outcomes known (loaded at NOW, 1 June), and a baseline rule that
    approves row 3 (score 0.3), which the model declined."""
    (tmp_path / "predictions").mkdir()
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "reference.csv").write_text(
        "p,y,version,amount,band\n0.2,0,v1,10,A\n0.8,1,v1,10,B\n"
    )
    case = make_case(tmp_path, baseline="score >= 0.25")
    write_predictions(case, "p.csv", SIX)
    write_outcomes(case, "o.csv", ["1,1", "2,0", "3,1", "6,0"])
    ingest(con, case, "r1")
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    return con


def test_each_decision_is_valued_realized_where_known_and_estimated_where_pending(
    aggregated: duckdb.DuckDBPyConnection,
) -> None:
    rows = aggregated.execute(
        "SELECT score_cent, decided, baseline_decided, matured, realized_deciding_positive, "
        "realized_deciding_negative, pending_value_deciding_positive, "
        "pending_value_deciding_negative, pending_switch_variance, pending_switch_stake "
        "FROM decision_curve_daily WHERE day = $day ORDER BY score_cent",
        {"day": MAY_1},
    ).fetchall()
    # TP 0.1 * amount, FP -0.5 * amount, TN 0, FN -10; scores at face value
    approx = pytest.approx
    assert rows == [
        # row 4: score 0.2, amount 80, pending: q*8 - (1-q)*40, q*-10; stake 8 + 40 + 10
        (20, 0, 0, 0, 0.0, 0.0, approx(-30.4), approx(-2), approx(0.16 * 58**2), 58.0),
        (30, 0, 1, 1, 5.0, -10.0, 0.0, 0.0, 0.0, 0.0),  # row 3: repaid, amount 50
        # row 5: score 0.6, amount 100, pending
        (60, 1, 1, 0, 0.0, 0.0, approx(-14), approx(-6), approx(0.24 * 70**2), 70.0),
        (80, 1, 1, 1, -100.0, 0.0, 0.0, 0.0, 0.0, 0.0),  # row 2: defaulted, amount 200
        (90, 1, 1, 1, 10.0, -10.0, 0.0, 0.0, 0.0, 0.0),  # row 1: repaid, amount 100
    ]  # fmt: skip
    arrivals = aggregated.execute(
        "SELECT day, lag_days, outcomes FROM outcome_arrivals_daily ORDER BY day"
    ).fetchall()
    assert arrivals == [(MAY_1, 31, 3), (MAY_2, 30, 1)]  # loaded on 1 June, no timestamps


def test_the_report_reads_the_curve_the_baseline_and_the_arrivals(
    aggregated: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    case = make_case(tmp_path, baseline="score >= 0.25")
    outlook = gather_outlook(aggregated, case, MAY_1, MAY_2, None)
    curve = outlook.curve
    assert curve is not None
    assert curve.threshold_in_use == 0.5  # the case's threshold, which the decisions follow
    # declining rows 6, 5 and 2 (scores 0.5 to 0.8): +5 realized, +8 estimated, +100 realized
    assert curve.best_threshold == 0.81
    assert curve.best.amount == pytest.approx(113)
    assert curve.best.known == 2
    assert curve.best.known_amount == pytest.approx(105)
    assert outlook.baseline is not None  # approving row 3 would have realized 5 instead of -10
    assert outlook.baseline.amount == pytest.approx(-15)
    final = outlook.finality
    assert final is not None
    assert (final.as_of, final.known) == (NOW.date(), 4)


def test_dropping_a_model_forgets_its_curve_and_arrivals(
    aggregated: duckdb.DuckDBPyConnection,
) -> None:
    from bottomline.warehouse import drop_model

    drop_model(aggregated, "loans")
    for table in ("decision_curve_daily", "outcome_arrivals_daily"):
        assert aggregated.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_aggregating_again_replaces_rather_than_adds(
    aggregated: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    totals = "SELECT sum(predictions), sum(matured) FROM decision_curve_daily"
    arrived = "SELECT sum(outcomes) FROM outcome_arrivals_daily"
    before = aggregated.execute(totals).fetchone(), aggregated.execute(arrived).fetchone()
    case = make_case(tmp_path, baseline="score >= 0.25")
    aggregate_days(aggregated, case, Calibrator(pooled=IDENTITY), [], [MAY_1, MAY_2])
    after = aggregated.execute(totals).fetchone(), aggregated.execute(arrived).fetchone()
    assert before == after == ((6, 4), (4,))
