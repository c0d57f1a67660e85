from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from bottomline.measures.regression import REGRESSION_MEASURES
from bottomline.report.content import model_life
from bottomline.runs import ReportedWindow, RunVerdict, window_reported
from bottomline.sqlfiles import load_sql
from bottomline.validation.results import attempt_runs
from bottomline.warehouse import add_missing_columns, drop_model, ensure_model_schema, migrate
from tests.helpers import make_case
from tests.sql.conftest import NOW


def columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = $s AND table_name = $t ORDER BY ordinal_position",
            {"s": schema, "t": table},
        ).fetchall()
    ]


def test_migrations_create_the_contract_tables_once(con: duckdb.DuckDBPyConnection) -> None:
    assert columns(con, "main", "metrics_daily") == [
        "model",
        "day",
        "segment",
        "segment_value",
        "model_version",
        "predictions",
        "matured",
        "tp",
        "fp",
        "tn",
        "fn",
        "realized_value",
        "expected_value",
        "expected_value_matured",
        "variance_matured",
        "decided_positive",
        "realized_value_sq",
        "realized_if_all_positive",
        "realized_if_all_negative",
        "variance_pending",
        *REGRESSION_MEASURES,
    ]
    assert columns(con, "main", "runs")[:13] == [
        "run_id",
        "flow",
        "model",
        "as_of",
        "period_start",
        "period_end",
        "started_at",
        "finished_at",
        "status",
        "rows_ingested",
        "rows_quarantined",
        "report_path",
        "delivered_to",
    ]
    assert migrate(con, NOW) == []
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (12,)
    assert columns(con, "main", "archive_parts") == [
        "model", "kind", "month", "file", "rows", "checksum", "first_day", "last_day",
        "run_id", "archived_at",
    ]  # fmt: skip
    assert columns(con, "main", "archive_day_rows") == ["model", "kind", "day", "file", "rows"]
    assert columns(con, "main", "confusion_daily") == [
        "model", "day", "model_version", "true_class", "decided_class", "predictions",
        "realized_value", "value_if_right",
    ]  # fmt: skip
    assert "data_docs_path" in columns(con, "main", "runs")
    assert columns(con, "main", "validation_results")[:7] == [
        "run_id",
        "model",
        "suite",
        "expectation",
        "success",
        "unexpected_count",
        "details",
    ]


def test_a_model_schema_grows_the_columns_its_case_keeps(con: duckdb.DuckDBPyConnection) -> None:
    ensure_model_schema(con, "loans")
    ensure_model_schema(con, "loans")  # idempotent
    assert {"predictions", "outcomes", "quarantine", "id_hash_probe"} == {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'loans'"
        ).fetchall()
    }
    batch = pl.DataFrame({"amount": [1.5], "band": ["A"], "count": [3]})
    con.register("batch", batch)
    assert add_missing_columns(con, "loans", "predictions", "batch", ["amount", "band"]) == [
        "amount",
        "band",
    ]
    assert add_missing_columns(con, "loans", "predictions", "batch", ["amount", "count"]) == [
        "count"
    ]
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'loans' AND table_name = 'predictions'"
        ).fetchall()
    )
    assert (types["amount"], types["band"], types["count"]) == ("DOUBLE", "VARCHAR", "BIGINT")


def stored_hashes_are_current(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT bool_and(id_hash IS NOT DISTINCT FROM hash(prediction_id)) FROM loans.predictions"
    ).fetchone()
    return bool(row and row[0])


def test_stored_id_hashes_follow_duckdbs_hash(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse from before id hashes, or one whose DuckDB hashes differently now, has
    every id hashed again; an up-to-date one is left as it is."""
    ensure_model_schema(con, "loans")
    con.execute(
        "INSERT INTO loans.predictions (prediction_id, predicted_at, day, score, decision, "
        "source_file, source_row, ingested_at) SELECT 'id-' || i, TIMESTAMP '2026-05-01', "
        "DATE '2026-05-01', 0.5, 1, '1.csv', i, TIMESTAMP '2026-05-01' FROM range(5) t(i)"
    )
    con.execute("ALTER TABLE loans.predictions DROP COLUMN id_hash")
    con.execute("DROP TABLE loans.id_hash_probe")
    ensure_model_schema(con, "loans")  # a warehouse from before id hashes
    assert stored_hashes_are_current(con)
    con.execute("UPDATE loans.predictions SET id_hash = id_hash + 1")
    con.execute("UPDATE loans.id_hash_probe SET probe = probe + 1")
    ensure_model_schema(con, "loans")  # as after an upgrade of DuckDB that changed its hash
    assert stored_hashes_are_current(con)
    con.execute("UPDATE loans.predictions SET id_hash = 0 WHERE prediction_id = 'id-1'")
    ensure_model_schema(con, "loans")  # the probe agrees: nothing is hashed again
    assert not stored_hashes_are_current(con)


def test_dropping_a_model_keeps_its_run_history(con: duckdb.DuckDBPyConnection) -> None:
    ensure_model_schema(con, "loans")
    con.execute(
        "INSERT INTO stale_days VALUES ('loans', DATE '2026-05-01'), ('cards', DATE '2026-05-01')"
    )
    con.execute(
        "INSERT INTO runs (run_id, flow, model, started_at, status) "
        "VALUES ('r1', 'nightly', 'loans', TIMESTAMP '2026-05-02', 'succeeded')"
    )
    drop_model(con, "loans")
    assert con.execute("SELECT model FROM stale_days").fetchall() == [("cards",)]
    assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    assert con.execute(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'loans'"
    ).fetchone() == (0,)


def test_migration_3_recomputes_aggregates_written_before_it() -> None:
    from bottomline.sqlfiles import load_sql

    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE schema_migrations (version VARCHAR, applied_at TIMESTAMP)")
    for version in ("0001_core_tables", "0002_validation"):
        con.execute(load_sql(f"migrations/{version}"))
        con.execute("INSERT INTO schema_migrations VALUES ($v, $t)", {"v": version, "t": NOW})
    con.execute(
        "INSERT INTO metrics_daily VALUES ('loans', DATE '2026-05-01', '_all', '_all', "
        "'v1', 10, 5, 1, 1, 1, 2, 100, 90, 45, 9)"
    )
    assert migrate(con, NOW) == [
        "0003_impact_measures",
        "0004_drift",
        "0005_watermarks",
        "0006_verdict_range",
        "0007_email_attempts",
        "0008_regression_measures",
        "0009_confusion_daily",
        "0010_archive",
        "0011_levers_and_arrivals",
        "0012_object_store",
    ]
    assert con.execute("SELECT model, day FROM stale_days").fetchall() == [
        ("loans", __import__("datetime").date(2026, 5, 1))
    ]
    assert con.execute(
        "SELECT decided_positive, realized_value_sq FROM metrics_daily"
    ).fetchall() == [(0, 0.0)]


def test_interrupted_attempts_since_the_last_success_belong_to_the_next_run(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow, model, started_at, finished_at, status) VALUES "
        "('old', 'nightly', 'loans', TIMESTAMP '2026-05-01 06:00', NULL, 'running'),"
        "('ok', 'nightly', 'loans', TIMESTAMP '2026-05-02 06:00', "
        " TIMESTAMP '2026-05-02 06:05', 'delivery_failed'),"
        "('killed', 'nightly', 'loans', TIMESTAMP '2026-05-03 06:00', NULL, 'running'),"
        "('other', 'nightly', 'cards', TIMESTAMP '2026-05-03 06:00', NULL, 'running'),"
        "('now', 'nightly', 'loans', TIMESTAMP '2026-05-03 07:00', NULL, 'running')"
    )
    for path, at in [("a.csv", "2026-05-01 06:01"), ("b.csv", "2026-05-03 06:01")]:
        con.execute(
            "INSERT INTO ingested_files VALUES ('loans', 'predictions', $path, 1, 1, 'h', "
            "1, 1, 0, 'r', $at::TIMESTAMP, NULL)",
            {"path": path, "at": at},
        )
    assert attempt_runs(con, "loans", "now") == ["killed", "now"]
    arrived = con.execute(
        load_sql("validation/files_since_last_success"), {"model": "loans", "run_id": "now"}
    ).fetchall()
    assert arrived == [("b.csv",)]


def test_a_window_is_reported_by_the_latest_run_that_rendered_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow, model, started_at, finished_at, status, period_start, "
        "period_end, report_path, message, verdict) VALUES "
        "('rendered', 'nightly', 'loans', TIMESTAMP '2026-05-02 06:00', "
        " TIMESTAMP '2026-05-02 06:05', 'succeeded', DATE '2026-04-02', DATE '2026-05-01', "
        " 'a.pdf', NULL, 'within'),"
        "('pointer', 'nightly', 'loans', TIMESTAMP '2026-05-02 07:00', "
        " TIMESTAMP '2026-05-02 07:01', 'succeeded', DATE '2026-04-02', DATE '2026-05-01', "
        " 'a.pdf', 'already reported by run rendered; nothing new since', 'within'),"
        "('failed', 'nightly', 'loans', TIMESTAMP '2026-05-02 08:00', "
        " TIMESTAMP '2026-05-02 08:01', 'failed', DATE '2026-04-02', DATE '2026-05-01', "
        " NULL, 'boom', NULL),"
        "('adhoc', 'report', 'loans', TIMESTAMP '2026-05-02 09:00', "
        " TIMESTAMP '2026-05-02 09:01', 'succeeded', DATE '2026-04-02', DATE '2026-05-01', "
        " 'b.pdf', NULL, 'below')"
    )
    window = (dt.date(2026, 4, 2), dt.date(2026, 5, 1))
    found = window_reported(con, "loans", "nightly", window, "now")
    assert found == ReportedWindow("rendered", "a.pdf", RunVerdict("within", None, None))
    assert window_reported(con, "loans", "nightly", window, "rendered") is None
    assert window_reported(con, "loans", "nightly", (window[0], dt.date(2026, 5, 2)), "now") is None
    latest = con.execute(load_sql("report/latest_run"), {"model": "loans", "flow": "nightly"})
    assert latest.fetchall() == [("rendered",)]


def test_a_models_life_runs_from_its_first_to_its_last_day_with_predictions(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = [  # (model, day, segment, predictions): segments and empty days do not count
        ("loans", dt.date(2026, 4, 1), "_all", 0),
        ("loans", dt.date(2026, 4, 2), "_all", 5),
        ("loans", dt.date(2026, 4, 9), "_all", 3),
        ("loans", dt.date(2026, 3, 1), "band", 2),
        ("cards", dt.date(2026, 1, 1), "_all", 7),
    ]
    for model, day, segment, predictions in rows:
        con.execute(
            "INSERT INTO metrics_daily BY NAME SELECT $model AS model, $day AS day, "
            "$segment AS segment, '_all' AS segment_value, '_all' AS model_version, "
            "$predictions AS predictions, 0 AS matured, 0 AS tp, 0 AS fp, 0 AS tn, 0 AS fn, "
            "0.0 AS realized_value, 0.0 AS expected_value, 0.0 AS expected_value_matured, "
            "0.0 AS variance_matured",
            {"model": model, "day": day, "segment": segment, "predictions": predictions},
        )
    life = model_life(con, make_case(Path("/nowhere")))
    assert life is not None
    assert (life.first_day, life.last_day) == (dt.date(2026, 4, 2), dt.date(2026, 4, 9))
    con.execute("DELETE FROM metrics_daily WHERE model = 'loans'")
    assert model_life(con, make_case(Path("/nowhere"))) is None
