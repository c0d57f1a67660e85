"""Issue 5 on the demo: the injected drift is found on the right feature from the right day,
nothing else raises, and a quarter's drift comes from profiles alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from bottomline.case.config import BusinessCase, load_case
from bottomline.demo.data import DemoSettings, DemoTruth, generate_demo
from bottomline.drift.window import ColumnDrift, measure_window
from bottomline.ingest.run import IngestContext, ingest_model
from bottomline.measures.aggregate import bring_up_to_date, stale_days
from bottomline.validation.gx_runner import GxValidator
from bottomline.warehouse import migrate
from tests.integration.conftest import REPO

NOW = dt.datetime(2026, 7, 1, 6, 0)
SETTINGS = DemoSettings(
    end=dt.date(2026, 6, 30),
    days=95,
    predictions_per_day=1500,
    drift_after_days=75,
    reference_rows=50_000,
)
OUTPUTS = {"score", "decision", "label"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BusinessCase, DemoTruth]:
    root = tmp_path_factory.mktemp("drift")
    (root / "models").mkdir()
    shutil.copy(REPO / "models" / "car_loans.yaml", root / "models")
    truth = generate_demo(root / "var" / "demo" / "car_loans", SETTINGS)
    case = load_case(root / "models" / "car_loans.yaml")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        migrate(con, NOW)
        ingest_model(con, IngestContext(case, "run", NOW), GxValidator("run", NOW))
        bring_up_to_date(con, case, stale_days(con, case.name), NOW)
    return warehouse, case, truth


def drift_of(
    warehouse: Path,
    case: BusinessCase,
    start: dt.date,
    end: dt.date,
) -> dict[str, ColumnDrift]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {d.column: d for d in measure_window(con, case, start, end)}


def test_the_drifted_feature_is_flagged_from_the_day_the_drift_began(
    demo: tuple[Path, BusinessCase, DemoTruth],
) -> None:
    warehouse, case, truth = demo
    days = [SETTINGS.start + dt.timedelta(days=n) for n in range(SETTINGS.days)]
    flagged = [
        day
        for day in days
        if drift_of(warehouse, case, day, day)[truth.drift_feature].severity != "none"
    ]
    assert flagged[0] == truth.drift_start
    assert flagged == [day for day in days if day >= truth.drift_start]
    after = drift_of(warehouse, case, truth.drift_start, SETTINGS.end)[truth.drift_feature]
    assert after.severity == "alert"
    assert after.value("psi") > 0.25  # type: ignore[operator]


def test_features_without_drift_raise_nothing(
    demo: tuple[Path, BusinessCase, DemoTruth],
) -> None:
    warehouse, case, truth = demo
    windows = [
        (SETTINGS.start + dt.timedelta(days=n), SETTINGS.start + dt.timedelta(days=n))
        for n in range(SETTINGS.days)
    ]
    windows.append((SETTINGS.end - dt.timedelta(days=89), SETTINGS.end))
    for start, end in windows:
        raised = {
            column: d.severity
            for column, d in drift_of(warehouse, case, start, end).items()
            if column not in OUTPUTS | {truth.drift_feature} and d.severity != "none"
        }
        assert raised == {}, (start, end)


def test_a_quarter_of_drift_comes_from_profiles_without_raw_rows(
    demo: tuple[Path, BusinessCase, DemoTruth],
    tmp_path: Path,
) -> None:
    warehouse, case, _ = demo
    start, end = SETTINGS.end - dt.timedelta(days=89), SETTINGS.end
    before = drift_of(warehouse, case, start, end)
    copy = tmp_path / "profiles_only.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DROP TABLE car_loans.predictions")
        con.execute("DROP TABLE car_loans.outcomes")
    after = drift_of(copy, case, start, end)
    assert set(after) == set(before)
    for column, drift in before.items():
        found = after[column].statistics
        assert [(g.statistic.method, g.severity) for g in found] == [
            (g.statistic.method, g.severity) for g in drift.statistics
        ]
        # equal up to the order DuckDB adds the days' sums in
        assert [g.statistic.statistic for g in found] == pytest.approx(
            [g.statistic.statistic for g in drift.statistics], rel=1e-12, abs=1e-15
        )
