"""In-memory warehouses and a tiny model with CSV sources, for running each SQL file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from bottomline.case.config import BusinessCase
from bottomline.ingest.loading import IngestSummary
from bottomline.ingest.run import IngestContext, ingest_model
from bottomline.validation.gx_runner import GxValidator
from bottomline.warehouse import migrate
from tests.helpers import make_case

NOW = dt.datetime(2026, 6, 1, 6, 0)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    migrate(connection, NOW)
    yield connection
    connection.close()


@pytest.fixture
def case(tmp_path: Path) -> BusinessCase:
    """The `loans` case of tests.helpers, its sources in `tmp_path` (CSV files)."""
    (tmp_path / "predictions").mkdir()
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "reference.csv").write_text(
        "p,y,version,amount,band\n"
        + "".join(f"{i / 10},{int(i >= 5)},v1,{50 * (i + 1)},{'AB'[i % 2]}\n" for i in range(10))
    )
    return make_case(tmp_path)


def write_predictions(case: BusinessCase, name: str, rows: list[str]) -> Path:
    path = case.base_dir / "predictions" / name
    path.write_text("id,ts,p,d,version,amount,band\n" + "\n".join(rows) + "\n")
    return path


def write_outcomes(case: BusinessCase, name: str, rows: list[str]) -> Path:
    path = case.base_dir / "outcomes" / name
    path.write_text("id,y\n" + "\n".join(rows) + "\n")
    return path


def ingest(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, run: str = "r1"
) -> dict[str, IngestSummary]:
    """One ingest of the case's sources as run `run`; its summaries by kind."""
    validator = GxValidator(run_name=run, run_time=NOW)
    report = ingest_model(con, IngestContext(case, run, NOW), validator)
    return {summary.kind: summary for summary in report.summaries}
