"""sql/archive/*: raw rows past a case's retention moved to the Parquet archive, and read back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from bottomline.archive import move
from bottomline.archive.folder import ArchiveError, archive_folder
from bottomline.archive.move import archive_due_rows
from bottomline.case.config import BusinessCase, ReferenceSpec, RetentionSpec, Window
from bottomline.ingest.reference import load_reference
from bottomline.measures.aggregate import aggregate_days, plan_days, stale_days
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import migrate
from tests.sql.conftest import NOW, ingest, write_outcomes, write_predictions
from tests.sql.test_aggregate_sql import MAY_1, MAY_2, SIX, daily_totals, load_six

JUNE_1 = dt.date(2026, 6, 1)  # 31 days after May 1: with raw_days 30, May 1 is due


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse file (the archive lies beside it)."""
    connection = duckdb.connect(str(tmp_path / "var" / "w.duckdb"))
    migrate(connection, NOW)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def warehouse_folder(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()


def kept(case: BusinessCase, raw_days: int = 30, wait_days: int | None = None) -> BusinessCase:
    retention = RetentionSpec(raw_days=raw_days, outcome_wait_days=wait_days)
    return case.model_copy(update={"retention": retention})


def stored_ids(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(f"SELECT prediction_id FROM loans.{table} ORDER BY 1").fetchall()
    return [row[0] for row in rows]


def aggregate(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> None:
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))


def archived_once(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> BusinessCase:
    """The six rows (four outcomes) loaded, aggregated and moved as of June 1 (May 1 is due);
    the case, with its 30-day retention."""
    case = kept(case)
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    aggregate(con, case)
    archive_due_rows(con, case, JUNE_1, "r2", NOW)
    return case


def test_old_rows_move_to_the_archive_and_their_figures_stay(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, tmp_path: Path
) -> None:
    case = kept(case)
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    aggregate(con, case)
    before = daily_totals(con, MAY_1, MAY_2)
    moved = archive_due_rows(con, case, JUNE_1, "r2", NOW)
    assert moved is not None
    assert (moved.predictions, moved.outcomes) == (5, 3)
    assert stored_ids(con, "predictions") == ["6"]
    assert stored_ids(con, "outcomes") == ["6"]
    parts = con.execute(
        "SELECT kind, month, file, rows, first_day, last_day FROM archive_parts ORDER BY kind"
    ).fetchall()
    assert [(kind, rows, first, last) for kind, _, _, rows, first, last in parts] == [
        ("outcomes", 3, MAY_1, MAY_1),
        ("predictions", 5, MAY_1, MAY_1),
    ]
    folder = archive_folder(con)
    assert folder == tmp_path / "var" / "w-archive"  # beside the warehouse file
    file = folder / parts[1][2]
    assert file.parent.relative_to(folder).as_posix() == "predictions/model=loans/month=2026-05"
    archived = pl.read_parquet(file, hive_partitioning=False)
    assert sorted(archived["prediction_id"].to_list()) == ["1", "2", "3", "4", "5"]
    # The figures stay, and the archived day can still be recomputed from the archive.
    assert daily_totals(con, MAY_1, MAY_2).equals(before)
    plan = plan_days(con, case, [MAY_1, MAY_2], Calibrator(pooled=IDENTITY), [])
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], [MAY_1, MAY_2])
    assert [unit.days for unit in plan.units] == [(MAY_1, MAY_2)]
    assert daily_totals(con, MAY_1, MAY_2).equals(before)
    day_rows = con.execute(
        load_sql("measures/aggregate/day_counts", schema="loans"),
        {"days": [MAY_1, MAY_2], "model": "loans"},
    ).fetchall()
    assert sorted(day_rows) == [(MAY_1, 5), (MAY_2, 1)]
    again = archive_due_rows(con, case, JUNE_1, "r3", NOW)
    assert again is not None
    assert again.months == []


def test_predictions_without_an_outcome_wait_for_it(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    case = kept(case, raw_days=30, wait_days=60)
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    aggregate(con, case)
    moved = archive_due_rows(con, case, JUNE_1, "r2", NOW)
    assert moved is not None
    assert (moved.predictions, moved.outcomes) == (3, 3)
    assert stored_ids(con, "predictions") == ["4", "5", "6"]
    later = archive_due_rows(con, case, MAY_1 + dt.timedelta(days=61), "r3", NOW)
    assert later is not None
    assert (later.predictions, later.outcomes) == (3, 1)
    assert stored_ids(con, "predictions") == []


def test_a_day_not_yet_aggregated_stays(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> None:
    case = kept(case)
    load_six(con, case, ["1,1"])  # not aggregated: May 1 and 2 are stale
    moved = archive_due_rows(con, case, JUNE_1, "r2", NOW)
    assert moved is not None
    assert moved.months == []
    assert len(stored_ids(con, "predictions")) == 6


def test_a_late_outcome_is_matched_in_the_archive_and_counted(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    case = archived_once(con, case)
    matured = daily_totals(con, MAY_1, MAY_1)["matured"].sum()
    write_outcomes(case, "late.csv", ["4,1", "5,0"])
    ingest(con, case, "r3")
    days = con.execute("SELECT prediction_id, day FROM loans.outcomes ORDER BY 1").fetchall()
    assert days == [("4", MAY_1), ("5", MAY_1), ("6", MAY_2)]
    assert stale_days(con, "loans") == [MAY_1]
    aggregate(con, case)
    assert daily_totals(con, MAY_1, MAY_1)["matured"].sum() == matured + 2
    again = archive_due_rows(con, case, JUNE_1, "r4", NOW)
    assert again is not None
    assert (again.predictions, again.outcomes) == (0, 2)
    assert stored_ids(con, "outcomes") == ["6"]
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], [MAY_1])  # all from the archive
    assert daily_totals(con, MAY_1, MAY_1)["matured"].sum() == matured + 2


def test_a_move_killed_before_it_commits_loses_nothing(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = kept(case)
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    aggregate(con, case)

    def killed(connection: duckdb.DuckDBPyConnection) -> None:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(move, "transaction", killed)
    with pytest.raises(KeyboardInterrupt):
        archive_due_rows(con, case, JUNE_1, "r2", NOW)
    monkeypatch.undo()
    leftovers = list(archive_folder(con).rglob("*.parquet"))
    assert len(leftovers) == 2  # written, never listed: not part of the archive
    assert len(stored_ids(con, "predictions")) == 6
    assert con.execute("SELECT count(*) FROM archive_parts").fetchall() == [(0,)]
    moved = archive_due_rows(con, case, JUNE_1, "r3", NOW)
    assert moved is not None
    assert moved.leftovers_removed == 2
    assert moved.predictions == 5
    assert not any(path.exists() for path in leftovers)
    assert len(list(archive_folder(con).rglob("*.parquet"))) == 2


def test_a_reference_window_is_read_from_the_archive_too(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    case = archived_once(con, case)
    window = Window(start=MAY_1, end=MAY_2)
    windowed = case.model_copy(update={"reference": ReferenceSpec(window=window)})
    reference = load_reference(windowed, con)
    assert sorted(reference["prediction_id"].to_list()) == ["1", "2", "3", "6"]


def test_a_case_without_retention_keeps_everything(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    load_six(con, case, ["1,1"])
    aggregate(con, case)
    assert archive_due_rows(con, case, JUNE_1, "r2", NOW) is None
    assert len(stored_ids(con, "predictions")) == 6


def test_a_file_sent_again_after_its_rows_were_archived_replaces_them(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """Its new copy is read, its day recomputed from both places: each prediction once."""
    case = archived_once(con, case)
    write_predictions(case, "p.csv", [SIX[0].replace(",0.9,", ",0.95,"), *SIX[1:]])
    ingest(con, case, "r3")
    assert MAY_1 in stale_days(con, "loans")
    aggregate(con, case)
    assert daily_totals(con, MAY_1, MAY_1)["predictions"].sum() == 5
    archive_due_rows(con, case, JUNE_1, "r4", NOW)  # archived twice: the newest file counts
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], [MAY_1])
    assert daily_totals(con, MAY_1, MAY_1)["predictions"].sum() == 5
    reference = load_reference(
        case.model_copy(update={"reference": ReferenceSpec(window=Window(start=MAY_1, end=MAY_1))}),
        con,
    )
    assert reference.filter(pl.col("prediction_id") == "1")["score"].to_list() == [0.95]


def test_a_file_that_does_not_match_its_rows_is_removed_and_nothing_is_deleted(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = kept(case)
    load_six(con, case, ["1,1", "2,0", "3,1", "6,0"])
    aggregate(con, case)

    def one_row_short(name: str, **identifiers: str) -> str:
        if name == "archive/checksum_file":  # as if the file had lost a row on its way
            return load_sql(name).replace("count(*)::BIGINT", "(count(*) - 1)::BIGINT")
        return load_sql(name, **identifiers)

    monkeypatch.setattr("bottomline.archive.move.load_sql", one_row_short)
    with pytest.raises(ArchiveError, match="does not match the predictions it copies"):
        archive_due_rows(con, case, JUNE_1, "r2", NOW)
    assert list(archive_folder(con).rglob("*.parquet")) == []
    assert len(stored_ids(con, "predictions")) == 6
    assert con.execute("SELECT count(*) FROM archive_parts").fetchall() == [(0,)]
