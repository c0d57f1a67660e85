"""Issue 8, item 1: the demo served from a real PostgreSQL, read incrementally by watermark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from bottomline.case.config import PostgresSource
from bottomline.ingest.postgres import PostgresReader, Watermark
from bottomline.report.formatting import money
from tests.integration.conftest import SETTINGS, Project, make_project, pdf_text
from tests.integration.pg import (
    DroppingProxy,
    append_rows,
    execute,
    fresh_database,
    postgres_server,
)
from tests.integration.test_nightly import PERIOD_START, run_nightly, snapshot


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture
def database(postgres: str) -> Iterator[str]:
    with fresh_database(postgres) as dsn:
        yield dsn


@pytest.fixture(scope="module")
def from_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the same demo leaves when read from its Parquet files (the ledger aside)."""
    project = make_project(tmp_path_factory.mktemp("files"))
    assert run_nightly(project, deliver=False).is_completed()
    return without_ledger(snapshot(project))


def without_ledger(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in figures.items() if key != "ledger"}


def demo_rows(project: Project, kind: str) -> pl.DataFrame:
    files = sorted((project.data / kind).glob("*/*.parquet"))
    return pl.concat([pl.read_parquet(path) for path in files], how="vertical_relaxed")


def serve_from_postgres(project: Project, batch_rows: int) -> None:
    """Point the project's case at tables `predictions` and `outcomes` of $DEMO_DSN."""
    case = project.models / "car_loans.yaml"
    text = case.read_text()
    for kind in ("predictions", "outcomes"):
        files = f"source: {{path: ../var/demo/car_loans/{kind}/*/*.parquet}}"
        assert files in text
        text = text.replace(
            files,
            f"source: {{postgres: {{dsn_env: DEMO_DSN, table: {kind}, batch_rows: {batch_rows}}}}}",
        )
    case.write_text(text)


def test_the_nightly_flow_reads_the_demo_from_postgres(
    project: Project,
    database: str,
    from_files: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    append_rows(database, "predictions", demo_rows(project, "predictions"))
    append_rows(database, "outcomes", demo_rows(project, "outcomes"))
    serve_from_postgres(project, batch_rows=4_000)
    monkeypatch.setenv("DEMO_DSN", database)

    assert run_nightly(project).is_completed()

    assert without_ledger(snapshot(project)) == from_files
    (realized,) = project.query(
        "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    )[0]
    assert realized == pytest.approx(project.truth.realized_value, abs=0.01)
    units = project.query(
        "SELECT kind, count(*), sum(rows_loaded) FROM ingested_files GROUP BY kind ORDER BY kind"
    )
    assert units == [
        ("outcomes", 2, project.truth.matured),
        ("predictions", 3, project.truth.predictions),
    ]
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    text = " ".join(pdf_text(pdf).split())
    window = sum(
        value
        for day, value in project.truth.daily_realized.items()
        if PERIOD_START <= day <= SETTINGS.end
    )
    assert money(window, "EUR") in text
    assert "PostgreSQL predictions ($DEMO_DSN)" in text

    assert run_nightly(project, deliver=False).is_completed()  # nothing new: nothing read
    assert project.query("SELECT count(*) FROM ingested_files") == [(5,)]


def test_rows_past_the_watermark_load_and_a_dropped_connection_loses_nothing(
    project: Project,
    database: str,
    from_files: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cutoff = dt.datetime(2026, 5, 10, tzinfo=dt.UTC)
    predictions, outcomes = demo_rows(project, "predictions"), demo_rows(project, "outcomes")
    append_rows(database, "predictions", predictions.filter(pl.col("timestamp") < cutoff))
    append_rows(database, "outcomes", outcomes.filter(pl.col("observed_at") < cutoff))
    serve_from_postgres(project, batch_rows=1_000)
    proxy = DroppingProxy(database, drop_after=150_000)
    monkeypatch.setenv("DEMO_DSN", proxy.dsn)
    try:
        assert run_nightly(project, deliver=False).is_completed()
        assert proxy.dropped == 1  # the read was cut, and the retry finished it
        first = project.query("SELECT count(*) FROM car_loans.predictions")[0][0]
        assert first == predictions.filter(pl.col("timestamp") < cutoff).height

        append_rows(database, "predictions", predictions.filter(pl.col("timestamp") >= cutoff))
        append_rows(database, "outcomes", outcomes.filter(pl.col("observed_at") >= cutoff))
        assert run_nightly(project, deliver=False).is_completed()
    finally:
        proxy.close()

    assert without_ledger(snapshot(project)) == from_files
    assert project.query("SELECT count(*) FROM car_loans.quarantine") == [(0,)]
    names = project.query("SELECT count(*), count(DISTINCT path) FROM ingested_files")[0]
    assert names[0] == names[1]
    assert project.query("SELECT kind, watermark_type FROM source_watermarks ORDER BY kind") == [
        ("outcomes", "timestamp with time zone"),
        ("predictions", "timestamp with time zone"),
    ]


def test_a_missing_column_stops_the_source_and_names_it(
    project: Project, database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    predictions = demo_rows(project, "predictions").rename({"y_pred_proba": "y_pred_prob"})
    append_rows(database, "predictions", predictions)
    append_rows(database, "outcomes", demo_rows(project, "outcomes"))
    serve_from_postgres(project, batch_rows=100_000)
    monkeypatch.setenv("DEMO_DSN", database)

    assert run_nightly(project, deliver=False).is_completed()

    assert project.query("SELECT count(*) FROM car_loans.predictions") == [(0,)]
    assert project.query("SELECT kind FROM source_watermarks") == [("outcomes",)]
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    text = " ".join(pdf_text(pdf).split())
    assert "did you mean 'y_pred_prob'?" in text


def test_units_never_split_equal_watermarks_and_numeric_becomes_float(database: str) -> None:
    execute(
        database,
        "CREATE TABLE scores (id text, wm integer, amount numeric(12, 2))",
        "INSERT INTO scores VALUES ('a', 1, 1.50), ('b', 2, 2.25), ('c', 2, NULL), "
        "('d', 2, 4.00), ('e', 3, 5.75), ('f', NULL, 6.00)",
    )
    source = PostgresSource(dsn_env="DSN", table="public.scores", batch_rows=2)
    reader = PostgresReader(source, database, "wm")
    assert reader.rows_without_watermark() == 1
    units = list(reader.units(None))
    assert [unit.rows["id"].to_list() for unit in units] == [["a", "b", "c", "d"], ["e"]]
    assert [unit.high for unit in units] == [Watermark("2", "integer"), Watermark("3", "integer")]
    assert units[0].rows["amount"].dtype == pl.Float64
    assert units[0].rows["amount"].to_list() == [1.5, 2.25, None, 4.0]
    assert units[0].rows["source_row"].to_list() == [1, 2, 3, 4]
    assert units[1].name == "postgres:public.scores[2 < wm <= 3]"
    assert list(reader.units(units[1].high)) == []
    assert [unit.rows["id"].to_list() for unit in reader.units(Watermark("1", "integer"))] == [
        ["b", "c", "d"],
        ["e"],
    ]
