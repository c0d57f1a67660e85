"""sql/measures/aggregate/* and sql/report/*: daily aggregates written, replaced and read back."""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import numpy as np
import polars as pl
import pytest

from bottomline.case.config import BusinessCase, ReferenceSpec, Window
from bottomline.ingest.reference import load_reference
from bottomline.measures.aggregate import aggregate_days, stale_days
from bottomline.measures.calibration import IDENTITY, Calibrator, fit_calibrator
from bottomline.measures.figures import period_figures
from bottomline.sqlfiles import load_sql
from tests.sql.conftest import NOW, ingest, write_outcomes, write_predictions

MAY_1, MAY_2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)
# The six rows of tests/unit/measures/test_metrics.py, as a logger would write them.
SIX = [
    "1,2026-05-01T08:00:00,0.9,1,v1,100,A",
    "2,2026-05-01T09:00:00,0.8,1,v1,200,B",
    "3,2026-05-01T10:00:00,0.3,0,v1,50,A",
    "4,2026-05-01T11:00:00,0.2,0,v1,80,B",
    "5,2026-05-01T12:00:00,0.6,1,v2,100,A",
    "6,2026-05-02T08:00:00,0.5,1,v1,10,A",
]


def load_six(con: duckdb.DuckDBPyConnection, case: BusinessCase, outcomes: list[str]) -> None:
    write_predictions(case, "p.csv", SIX)
    write_outcomes(case, "o.csv", outcomes)
    ingest(con, case, "r1")


def daily_totals(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> pl.DataFrame:
    params = {"model": "loans", "start": start, "end": end}
    frame: pl.DataFrame = con.sql(load_sql("report/daily_totals"), params=params).pl()
    return frame


def test_realized_and_expected_match_the_hand_computation(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    summary = aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    assert (summary.days, summary.rows) == (2, 6)
    assert stale_days(con, "loans") == []
    figures = period_figures(daily_totals(con, MAY_1, MAY_2), MAY_1, MAY_2)
    assert (figures.predictions, figures.matured) == (6, 4)
    assert figures.realized_value == pytest.approx(10 - 100 - 10 - 5)
    assert figures.expected_value == pytest.approx(4 - 4 - 3 - 2 - 14 - 2)
    assert figures.expected_value_matured == pytest.approx(4 - 4 - 3 - 2)
    assert figures.variance_matured == pytest.approx(324 + 2304 + 21 + 9)


def test_late_outcomes_update_realized_value(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, ["1,1"])
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    before = period_figures(daily_totals(con, MAY_1, MAY_2), MAY_1, MAY_2)
    assert (before.matured, before.realized_value) == (1, 10)
    write_outcomes(case, "late.csv", ["2,0", "6,0"])
    ingest(con, case, "r2")
    assert stale_days(con, "loans") == [MAY_1, MAY_2]
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    after = period_figures(daily_totals(con, MAY_1, MAY_2), MAY_1, MAY_2)
    assert (after.matured, after.realized_value) == (3, 10 - 100 - 5)
    assert after.expected_value == before.expected_value  # the promise does not move


def aggregate(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> None:
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))


def test_outcomes_stored_before_their_predictions_are_counted_when_they_arrive(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """An outcome stored first carries no prediction day; its prediction, when it comes,
    gives it one, and the day's aggregation (which reads outcomes by day) counts it."""
    write_outcomes(case, "o.csv", ["1,1", "6,0"])
    ingest(con, case, "r1")
    assert con.execute("SELECT count(*) FROM loans.outcomes WHERE day IS NULL").fetchone() == (2,)
    write_predictions(case, "p.csv", SIX)
    ingest(con, case, "r2")
    aggregate(con, case)
    figures = period_figures(daily_totals(con, MAY_1, MAY_2), MAY_1, MAY_2)
    assert (figures.matured, figures.realized_value) == (2, 10 - 5)


def test_an_outcome_follows_its_prediction_to_another_day(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """A corrected prediction moves from 2 to 1 May: its outcome is read with 1 May, also
    when 1 May alone is recomputed later (a late outcome of another of its predictions)."""
    load_six(con, case, ["6,0"])
    aggregate(con, case)
    write_predictions(case, "moved.csv", ["6,2026-05-01T23:00:00,0.5,1,v1,10,A"])
    ingest(con, case, "r2")
    aggregate(con, case)
    write_outcomes(case, "late.csv", ["1,1"])
    ingest(con, case, "r3")
    assert stale_days(con, "loans") == [MAY_1]
    aggregate(con, case)
    figures = period_figures(daily_totals(con, MAY_1, MAY_1), MAY_1, MAY_1)
    assert (figures.matured, figures.realized_value) == (2, 10 - 5)


def test_a_prediction_dropped_from_its_file_and_sent_again_elsewhere_keeps_its_outcome(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """A new version of a file leaves out prediction 6 (its outcome stays, without a day);
    a later file sends 6 again on another day: the outcome is counted on that day."""
    path = write_predictions(case, "p.csv", SIX)
    write_outcomes(case, "o.csv", ["6,0"])
    ingest(con, case, "r1")
    write_predictions(case, "p.csv", SIX[:5])
    os.utime(path, (2_000_000_000, 2_000_000_000))
    ingest(con, case, "r2")
    write_predictions(case, "later.csv", ["6,2026-05-01T23:00:00,0.5,1,v1,10,A"])
    ingest(con, case, "r3")
    aggregate(con, case)
    figures = period_figures(daily_totals(con, MAY_1, MAY_2), MAY_1, MAY_2)
    assert (figures.predictions, figures.matured, figures.realized_value) == (6, 1, -5)


def test_outcomes_of_a_warehouse_from_before_outcome_days_get_their_day_once(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, ["1,1", "6,0"])
    con.execute("ALTER TABLE loans.outcomes DROP COLUMN day")  # as an older warehouse was
    ingest(con, case, "r2")
    days = con.execute("SELECT prediction_id, day FROM loans.outcomes ORDER BY 1").fetchall()
    assert days == [("1", MAY_1), ("6", MAY_2)]
    aggregate(con, case)
    figures = period_figures(daily_totals(con, MAY_1, MAY_2), MAY_1, MAY_2)
    assert (figures.matured, figures.realized_value) == (2, 10 - 5)


def test_re_aggregating_replaces_rather_than_adds(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, ["1,1"])
    for _ in range(3):
        aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], [MAY_1, MAY_2])
    rows = con.execute(
        "SELECT count(*), sum(predictions) FROM metrics_daily WHERE segment = '_all'"
    ).fetchone()
    assert rows == (3, 6)  # (May 1, v1), (May 1, v2), (May 2, v1)


def test_a_day_emptied_by_an_upsert_loses_its_aggregates(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, [])
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    write_predictions(case, "moved.csv", ["6,2026-05-01T23:00:00,0.5,1,v1,10,A"])
    ingest(con, case, "r2")
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    assert daily_totals(con, MAY_1, MAY_2)["day"].to_list() == [MAY_1]


def test_the_reference_can_be_a_window_of_labelled_history(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    window = Window(start=MAY_1, end=MAY_1)
    windowed = case.model_copy(update={"reference": ReferenceSpec(window=window)})
    reference = load_reference(windowed, con)
    assert sorted(reference["prediction_id"].to_list()) == ["1", "2", "3"]
    assert set(reference.columns) >= {"score", "label", "model_version"}


def test_the_reference_file_is_read_with_the_case_columns(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    reference = load_reference(case, con)
    assert reference.height == 10
    assert reference.select("score", "label").row(9) == (0.9, 1)
    calibrator = fit_calibrator(reference, "isotonic")
    assert calibrator.pooled.apply(np.array([0.1, 0.9])).tolist() == [0.0, 1.0]


def test_freshness_and_lineage(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> None:
    load_six(con, case, ["1,1"])
    freshness = con.execute(load_sql("report/freshness", schema="loans")).fetchone()
    assert freshness == (dt.datetime(2026, 5, 2, 8, 0), None)
    lineage = con.execute(load_sql("report/source_lineage"), {"model": "loans"}).fetchall()
    assert [(row[0], row[1], row[2]) for row in lineage] == [
        ("outcomes", 1, 1),
        ("predictions", 1, 6),
    ]


def test_profiles_are_written_with_the_aggregates_and_drift_is_stored(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    from bottomline.drift.window import measure_window, store_drift
    from bottomline.measures.aggregate import bring_up_to_date

    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    bring_up_to_date(con, case, stale_days(con, "loans"), NOW)
    profiled = dict(
        con.execute("SELECT column_name, sum(count) FROM profiles_daily GROUP BY ALL").fetchall()
    )
    # every prediction in every column's profile; the label only once known
    assert profiled == {"amount": 6, "band": 6, "score": 6, "decision": 6, "label": 4}
    assert con.execute("SELECT count(DISTINCT column_name) FROM profile_edges").fetchone() == (5,)
    drift = measure_window(con, case, MAY_1, MAY_2)
    store_drift(con, "loans", MAY_1, MAY_2, drift, NOW)
    store_drift(con, "loans", MAY_1, MAY_2, drift, NOW)  # replaced, not added
    stored = con.execute("SELECT count(*), count(DISTINCT column_name) FROM drift").fetchone()
    assert stored == (sum(len(d.statistics) for d in drift), 5)
    rows = con.execute(
        load_sql("drift/results"), {"model": "loans", "start": MAY_1, "end": MAY_2}
    ).fetchall()
    assert {row[0] for row in rows} == {"amount", "band", "score", "decision", "label"}


def test_a_unit_read_in_batches_sums_to_the_same_aggregates(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    from bottomline.drift.reference_bins import current_bins
    from bottomline.measures.aggregate import plan_aggregation, read_unit

    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    bins, _ = current_bins(con, case, load_reference(case, con), NOW)
    calibrator = fit_calibrator(load_reference(case, con), "isotonic")

    def stored() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        metrics = con.execute(
            "SELECT day, segment, segment_value, model_version, predictions, matured, tp, fp, "
            "tn, fn, round(realized_value, 9), round(expected_value, 9) "
            "FROM metrics_daily ORDER BY ALL"
        ).fetchall()
        profiles = con.execute(
            "SELECT day, column_name, bin, count, round(value_sum, 9), matured, "
            "round(realized_value, 9) FROM profiles_daily ORDER BY ALL"
        ).fetchall()
        return metrics, profiles

    aggregate_days(con, case, calibrator, bins, [MAY_1, MAY_2])
    whole = stored()
    summary = aggregate_days(con, case, calibrator, bins, [MAY_1, MAY_2], rows_per_unit=2)
    assert summary.rows == 6
    assert stored() == whole
    plan = plan_aggregation(con, case, [MAY_1, MAY_2], NOW)
    assert [unit.days for unit in plan.units] == [(MAY_1, MAY_2)]
    assert [rows.height for rows in read_unit(con, case, plan.units[0], batch_rows=4)] == [4, 2]


def test_a_unit_is_read_with_outcomes_hashed_and_the_planner_left_as_it_was(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """The join keeps its hash table on the outcomes' side while the rows are read (however
    small DuckDB guesses a day's predictions to be), and only then, even when the reading
    stops half way."""
    from bottomline.archive.reads import archived_rows
    from bottomline.measures.aggregate import AggregationUnit, _outcomes_as_build_side, read_unit

    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    con.execute(  # outcomes still waiting for their predictions: more than a day's
        "INSERT INTO loans.outcomes BY NAME SELECT 'other-' || range AS prediction_id, "
        "1 AS label, 'other.csv' AS source_file, range AS source_row, 'r' AS run_id, "
        "now()::TIMESTAMP AS ingested_at FROM range(5000)"
    )
    query = load_sql("measures/aggregate/rows_for_days", schema="loans")
    params = {"days": [MAY_1], "first_day": MAY_1, "last_day": MAY_1}
    with archived_rows(con, "loans", MAY_1, MAY_1):
        assert "Join Type: RIGHT" in con.execute("EXPLAIN " + query, params).fetchall()[0][1]
        with _outcomes_as_build_side(con):
            plan = con.execute("EXPLAIN " + query, params).fetchall()[0][1]
    assert "Join Type: LEFT" in plan
    assert "ANTI" not in plan
    assert "MARK" not in plan
    setting = "SELECT current_setting('disabled_optimizers')"
    assert con.execute(setting).fetchall() == [("",)]
    batches = read_unit(con, case, AggregationUnit((MAY_1, MAY_2)), batch_rows=2)
    first = next(batches)
    assert first["label"].to_list() == [1, 0]
    batches.close()  # abandoned: the result is closed and the setting restored
    assert con.execute(setting).fetchall() == [("",)]


def test_units_pack_days_and_keep_large_ones_apart() -> None:
    from bottomline.measures.aggregate import AggregationUnit, cut_units

    days = [MAY_1 + dt.timedelta(days=n) for n in range(4)]
    counts = {days[0]: 3, days[1]: 4, days[2]: 25, days[3]: 1}
    assert cut_units(days, counts, limit=10) == [
        AggregationUnit((days[0], days[1])),
        AggregationUnit((days[2],)),
        AggregationUnit((days[3],)),
    ]
