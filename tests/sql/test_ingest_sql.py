"""sql/ingest/*: the ledger, upserts, quarantine and stale days, through `ingest_model`."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

import bottomline.ingest.loading
import bottomline.warehouse
from bottomline.case.config import BusinessCase
from bottomline.case.errors import ConfigError
from bottomline.measures.aggregate import aggregate_days, stale_days
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import migrate
from tests.helpers import case_document, make_case
from tests.sql.conftest import NOW, ingest, write_outcomes, write_predictions

MAY_1, MAY_2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)
# Names Bottomline gives its own columns that a case's column may have too (not reserved).
NAMES_LEFT_AS_THEY_WERE = [
    "segment",
    "segment_value",
    "stake_all",
    "stake_matured",
    "reason",
    "rule",
    "record",
    "column_name",
    "group",
    "count",
    "kind",
    "value_sum",
]
DAY_ONE = ["a,2026-05-01T09:00:00,0.9,1,v1,100,A", "b,2026-05-01T10:00:00,0.2,0,v1,200,B"]
DAY_TWO = ["c,2026-05-02T09:00:00,0.7,1,v2,50,A"]


def scalar(con: duckdb.DuckDBPyConnection, query: str) -> object:
    row = con.execute(query).fetchone()
    assert row is not None
    return row[0]


def stale(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    return [row[0] for row in con.execute("SELECT day FROM stale_days ORDER BY day").fetchall()]


def test_files_are_loaded_once(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> None:
    write_predictions(case, "1.csv", DAY_ONE)
    write_predictions(case, "2.csv", DAY_TWO)
    write_outcomes(case, "1.csv", ["a,1", "b,0"])
    first = ingest(con, case)
    assert (first["predictions"].files_loaded, first["predictions"].rows_loaded) == (2, 3)
    assert (first["outcomes"].files_loaded, first["outcomes"].rows_loaded) == (1, 2)
    assert stale(con) == [MAY_1, MAY_2]
    second = ingest(con, case, "r2")
    assert (second["predictions"].files_unchanged, second["predictions"].files_loaded) == (2, 0)
    assert scalar(con, "SELECT count(*) FROM loans.predictions") == 3
    assert scalar(con, "SELECT count(*) FROM ingested_files") == 3
    assert stale(con) == [MAY_1, MAY_2]  # no duplicates


def test_csv_ids_that_look_like_numbers_are_kept_as_written(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """`00042` was read as the integer 42, so its outcome `00042` never matched."""
    write_predictions(case, "1.csv", ["00042,2026-05-01T09:00:00,0.9,1,v1,100,A"])
    write_outcomes(case, "1.csv", ["00042,1"])
    summaries = ingest(con, case)
    assert summaries["outcomes"].rows_loaded == 1
    assert summaries["outcomes"].rows_quarantined == 0
    joined = con.execute(
        "SELECT p.prediction_id, o.label FROM loans.predictions AS p "
        "JOIN loans.outcomes AS o USING (prediction_id)"
    ).fetchall()
    assert joined == [("00042", 1)]


def test_a_touched_but_unchanged_file_is_not_reloaded(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    path = write_predictions(case, "1.csv", DAY_ONE)
    ingest(con, case)
    os.utime(path, (2_000_000_000, 2_000_000_000))
    assert ingest(con, case, "r2")["predictions"].files_unchanged == 1
    assert scalar(con, "SELECT max(run_id) FROM loans.predictions") == "r1"
    assert scalar(con, "SELECT mtime_ns FROM ingested_files") == 2_000_000_000 * 10**9


def test_a_moved_file_is_not_read_again_and_its_rows_follow_it(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """A project copied elsewhere, or its folder renamed: the same bytes under a new path
    are not read again (read again, every row replaced itself and half the period's rows
    were counted as set aside); the ledger and the rows, loaded or set aside, name the new
    path."""
    old = write_predictions(case, "1.csv", [*DAY_ONE, "z,2026-05-01T11:00:00,1.7,1,v1,1,A"])
    write_outcomes(case, "1.csv", ["a,1", "b,0"])
    ingest(con, case)
    new = old.with_name("renamed.csv")
    old.rename(new)
    summaries = ingest(con, case, "r2")
    moved = summaries["predictions"]
    assert (moved.files_moved, moved.files_loaded, moved.rows_loaded) == (1, 0, 0)
    assert (moved.rows_quarantined, moved.rows_replaced) == (0, 0)
    assert summaries["outcomes"].files_unchanged == 1
    assert scalar(con, "SELECT count(*) FROM loans.quarantine") == 1  # the bad score only
    for table in ("loans.predictions", "loans.quarantine"):
        paths = con.execute(f"SELECT DISTINCT source_file FROM {table}").fetchall()
        assert paths == [(str(new),)]
    ledger = con.execute("SELECT path FROM ingested_files WHERE kind = 'predictions'").fetchall()
    assert ledger == [(str(new),)]
    assert scalar(con, "SELECT max(run_id) FROM loans.predictions") == "r1"
    assert ingest(con, case, "r3")["predictions"].files_unchanged == 1


def test_a_copy_beside_its_original_is_read_as_a_later_copy(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """Where the original is still listed, the same bytes elsewhere are sent again: read,
    and their rows replace the earlier ones (kept in quarantine), as before."""
    original = write_predictions(case, "1.csv", DAY_ONE)
    ingest(con, case)
    original.with_name("2.csv").write_bytes(original.read_bytes())
    summary = ingest(con, case, "r2")["predictions"]
    assert (summary.files_moved, summary.files_loaded, summary.rows_replaced) == (0, 1, 2)


def test_personal_columns_are_stored_only_as_keyed_hashes(tmp_path: Path) -> None:
    """`pii: [band]`: the stored rows, the rows set aside and the reference hold the keyed
    hash of each value, never the value; the same value hashes alike, so it still segments."""
    from bottomline.case.pii import derive_key, pseudonym

    case = make_case(tmp_path, pii=["band"]).with_pii_key(derive_key("team secret"))
    (tmp_path / "predictions").mkdir()
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "reference.csv").write_text(
        "p,y,version,amount,band\n0.9,1,v1,100,alice@example.com\n0.2,0,v1,50,bob@example.com\n"
    )
    write_predictions(
        case,
        "1.csv",
        [
            "a,2026-05-01T09:00:00,0.9,1,v1,100,alice@example.com",
            "b,2026-05-01T10:00:00,0.2,0,v1,200,alice@example.com",
            "c,2026-05-01T11:00:00,1.7,1,v1,300,carol@example.com",  # set aside: score
        ],
    )
    con = duckdb.connect(":memory:")
    migrate(con, NOW)
    summary = ingest(con, case)["predictions"]
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 1)
    stored = con.execute("SELECT DISTINCT band FROM loans.predictions").fetchall()
    assert stored == [(pseudonym("alice@example.com", derive_key("team secret")),)]
    everything = str(con.execute("SELECT * FROM loans.quarantine").fetchall())
    everything += str(con.execute("SELECT * FROM loans.predictions").fetchall())
    everything += str(con.execute("SELECT * FROM validation_results").fetchall())
    assert "@example.com" not in everything
    without_key = make_case(tmp_path, pii=["band"])
    with pytest.raises(ConfigError, match="BOTTOMLINE_PII_KEY"):
        ingest(con, without_key, "r2")


def test_a_changed_file_replaces_its_rows(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    path = write_predictions(case, "1.csv", DAY_ONE)
    ingest(con, case)
    con.execute("DELETE FROM stale_days")
    write_predictions(case, "1.csv", ["a,2026-05-02T09:00:00,0.8,1,v1,100,A"])
    os.utime(path, (2_000_000_000, 2_000_000_000))
    ingest(con, case, "r2")
    assert con.execute("SELECT prediction_id, day, score FROM loans.predictions").fetchall() == [
        ("a", MAY_2, 0.8)
    ]
    assert stale(con) == [MAY_1, MAY_2]  # the day it left and the day it joined


def test_a_later_file_upserts_by_id_and_the_earlier_row_is_kept_aside(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE)
    write_predictions(case, "2.csv", ["a,2026-05-01T09:00:00,0.95,1,v1,100,A"])
    summaries = ingest(con, case)
    assert con.execute(
        "SELECT score, source_file LIKE '%2.csv' FROM loans.predictions WHERE prediction_id = 'a'"
    ).fetchall() == [(0.95, True)]
    assert scalar(con, "SELECT count(*) FROM loans.predictions") == 2
    replaced = con.execute(
        "SELECT source_file LIKE '%1.csv', source_row, rule, reason LIKE 'replaced by a later "
        "row with the same id (%2.csv, row 1)', json_extract(record, '$.score')::DOUBLE "
        "FROM loans.quarantine"
    ).fetchall()
    assert replaced == [(True, 1, "replaced_by_later_row", True, 0.9)]
    assert summaries["predictions"].rows_replaced == 1
    assert_nothing_lost(con)


def test_an_id_sent_again_in_a_later_run_is_found_by_its_hash(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE)
    ingest(con, case)
    write_predictions(case, "2.csv", ["a,2026-05-01T09:00:00,0.95,1,v1,100,A"])
    assert ingest(con, case, "r2")["predictions"].rows_replaced == 1
    record = scalar(con, "SELECT record FROM loans.quarantine")
    assert isinstance(record, str)
    assert '"score":0.9' in record
    assert "id_hash" not in record
    assert_nothing_lost(con)


def test_id_lookups_match_by_hash_then_by_id(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """Stored ids are searched by hash first (ids_loaded_elsewhere); a hash shared by two
    ids finds neither wrongly."""
    write_predictions(case, "1.csv", DAY_ONE)
    ingest(con, case)
    con.execute("UPDATE loans.predictions SET id_hash = hash('z') WHERE prediction_id = 'a'")
    con.register("batch_ids", pl.DataFrame({"prediction_id": ["z", "b"]}))
    con.register("batch_files", pl.DataFrame({"source_file": ["2.csv"]}))
    elsewhere = con.sql(load_sql("ingest/ids_loaded_elsewhere", schema="loans")).fetchall()
    with_prediction = con.sql(load_sql("ingest/ids_with_prediction", schema="loans")).fetchall()
    assert (elsewhere, with_prediction) == ([("b",)], [("b", MAY_1)])


def assert_nothing_lost(con: duckdb.DuckDBPyConnection) -> None:
    """Every row ever read is either stored or in quarantine."""
    for kind in ("predictions", "outcomes"):
        read = scalar(
            con, f"SELECT coalesce(sum(rows_read), 0) FROM ingested_files WHERE kind = '{kind}'"
        )
        stored = scalar(con, f"SELECT count(*) FROM loans.{kind}")
        aside = scalar(con, f"SELECT count(*) FROM loans.quarantine WHERE kind = '{kind}'")
        assert read == stored + aside, kind  # type: ignore[operator]


def test_results_of_every_rule_are_stored(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", [*DAY_ONE, "d,2026-05-01T11:00:00,1.5,1,v1,1,A"])
    write_outcomes(case, "1.csv", ["a,1", "zz,0"])
    ingest(con, case)
    results = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT suite || '/' || expectation, success, unexpected_count, severity "
            "FROM validation_results"
        ).fetchall()
    }
    assert results["predictions/score_is_probability"] == (False, 1, "critical")
    assert results["outcomes/outcome_has_prediction"] == (False, 1, "warning")
    assert results["predictions/id_present"] == (True, 0, "critical")
    assert_nothing_lost(con)


def test_late_outcomes_make_their_prediction_day_stale(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE + DAY_TWO)
    ingest(con, case)
    con.execute("DELETE FROM stale_days")
    write_outcomes(case, "late.csv", ["c,1"])
    ingest(con, case, "r2")
    assert stale(con) == [MAY_2]


def test_outcomes_before_their_prediction_are_kept_and_matched_later(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_outcomes(case, "early.csv", ["a,1"])
    ingest(con, case)
    assert scalar(con, "SELECT count(*) FROM loans.outcomes") == 1
    assert stale(con) == []  # nothing to recompute: no prediction yet
    write_predictions(case, "1.csv", DAY_ONE)
    ingest(con, case, "r2")
    assert stale(con) == [MAY_1]
    assert con.execute(
        "SELECT o.label FROM loans.predictions p JOIN loans.outcomes o USING (prediction_id)"
    ).fetchall() == [(1,)]


def test_rows_read_are_rows_loaded_plus_rows_set_aside(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(
        case, "1.csv", [*DAY_ONE, "d,not a time,0.5,1,v1,1,A", ",2026-05-01,0.5,1,v1,1,A"]
    )
    summary = ingest(con, case)["predictions"]
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (4, 2, 2)
    assert con.execute(
        "SELECT source_row, column_name, reason FROM loans.quarantine ORDER BY source_row"
    ).fetchall() == [
        (
            3,
            "ts",
            "timestamp 'not a time' is empty or not a date-time (expected ISO 8601, "
            "e.g. 2026-05-01T10:00:00Z)",
        ),
        (4, "id", "id is empty"),
    ]
    assert scalar(con, "SELECT rows_read FROM ingested_files") == 4
    assert_nothing_lost(con)


def test_a_bad_file_is_reported_and_the_others_still_load(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE)
    (case.base_dir / "predictions" / "2.csv").write_text("id,when\nx,2026-05-01\n")
    summary = ingest(con, case)["predictions"]
    assert summary.files_loaded == 1
    assert len(summary.errors) == 1
    assert "2.csv: missing column(s) 'ts' (needed by predictions.timestamp)" in summary.errors[0]
    assert scalar(con, "SELECT count(*) FROM ingested_files") == 1  # retried next run


def test_a_crash_inside_a_file_leaves_nothing_of_it(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_predictions(case, "1.csv", DAY_ONE)
    real_load_sql = load_sql

    def failing(name: str, **identifiers: str) -> str:
        if name == "ingest/ledger_record":
            raise KeyboardInterrupt  # the process is stopped after the rows were inserted
        return real_load_sql(name, **identifiers)

    monkeypatch.setattr(bottomline.ingest.loading, "load_sql", failing)
    with pytest.raises(KeyboardInterrupt):
        ingest(con, case)
    assert scalar(con, "SELECT count(*) FROM loans.predictions") == 0
    assert scalar(con, "SELECT count(*) FROM stale_days") == 0
    monkeypatch.setattr(bottomline.ingest.loading, "load_sql", real_load_sql)
    assert ingest(con, case, "r2")["predictions"].rows_loaded == 2
    assert scalar(con, "SELECT count(*) FROM loans.predictions") == 2


def outcome_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT prediction_id, label, regexp_extract(source_file, '[^/]+$') "
        "FROM loans.outcomes ORDER BY prediction_id"
    ).fetchall()


def test_a_later_outcome_file_corrects_a_label_and_the_earlier_is_kept_aside(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE + DAY_TWO)
    write_outcomes(case, "1.csv", ["a,1", "c,1"])
    ingest(con, case)
    con.execute("DELETE FROM stale_days")
    write_outcomes(case, "2.csv", ["a,0"])  # a correction, the next night
    summary = ingest(con, case, "r2")["outcomes"]
    assert summary.rows_replaced == 1
    assert outcome_rows(con) == [("a", 0, "2.csv"), ("c", 1, "1.csv")]
    assert stale(con) == [MAY_1]  # a's day only
    assert con.execute("SELECT rule, kind FROM loans.quarantine").fetchall() == [
        ("replaced_by_later_row", "outcomes")
    ]
    assert_nothing_lost(con)


def test_one_outcome_in_two_files_of_a_night_keeps_the_later_file(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE + DAY_TWO)
    write_outcomes(case, "1.csv", ["a,1", "b,0"])
    write_outcomes(case, "2.csv", ["a,1", "c,1"])  # a sent again, with the same label
    summary = ingest(con, case)["outcomes"]
    assert (summary.rows_loaded, summary.rows_replaced) == (4, 1)
    assert outcome_rows(con) == [("a", 1, "2.csv"), ("b", 0, "1.csv"), ("c", 1, "2.csv")]
    assert stale(con) == [MAY_1, MAY_2]
    assert_nothing_lost(con)


def test_a_changed_outcome_file_takes_back_what_it_no_longer_says(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    write_predictions(case, "1.csv", DAY_ONE + DAY_TWO)
    path = write_outcomes(case, "1.csv", ["a,1", "c,1"])
    ingest(con, case)
    con.execute("DELETE FROM stale_days")
    write_outcomes(case, "1.csv", ["a,1"])  # c's outcome withdrawn
    os.utime(path, (2_000_000_000, 2_000_000_000))
    ingest(con, case, "r2")
    assert outcome_rows(con) == [("a", 1, "1.csv")]
    assert stale(con) == [MAY_1, MAY_2]  # a's day (rewritten) and c's (its outcome gone)


def test_a_crash_inside_a_group_leaves_neither_its_rows_nor_its_results(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill during loading used to keep the files already written but lose their checks'
    results, so the re-run's report counted fewer checks than one clean run."""
    write_predictions(case, "1.csv", DAY_ONE)
    write_predictions(case, "2.csv", DAY_TWO)
    real_load_sql = load_sql
    ledger_rows = []

    def failing(name: str, **identifiers: str) -> str:
        if name == "ingest/ledger_record":
            ledger_rows.append(name)
            if len(ledger_rows) == 2:
                raise KeyboardInterrupt  # stopped inside the group's second file
        return real_load_sql(name, **identifiers)

    monkeypatch.setattr(bottomline.ingest.loading, "load_sql", failing)
    with pytest.raises(KeyboardInterrupt):
        ingest(con, case)
    assert scalar(con, "SELECT count(*) FROM loans.predictions") == 0
    assert scalar(con, "SELECT count(*) FROM validation_results") == 0
    monkeypatch.setattr(bottomline.ingest.loading, "load_sql", real_load_sql)
    ingest(con, case, "r2")
    clean = duckdb.connect()
    migrate(clean, NOW)
    ingest(clean, case, "r2")
    stored = "SELECT suite, expectation, unexpected_count FROM validation_results ORDER BY ALL"
    assert con.execute(stored).fetchall() == clean.execute(stored).fetchall()


def test_a_file_that_does_not_fit_the_stored_types_is_named_and_its_group_still_loads(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_predictions(case, "1.csv", DAY_ONE)
    write_predictions(case, "2.csv", DAY_TWO)
    real_run = bottomline.warehouse.run

    def run(
        connection: duckdb.DuckDBPyConnection, query: str, params: dict[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        if (
            "INSERT" in query
            and isinstance(params, dict)
            and str(params.get("path", "")).endswith("2.csv")
        ):
            raise duckdb.ConversionException("Could not convert string 'x' to DOUBLE")
        return real_run(connection, query, params)

    monkeypatch.setattr(bottomline.ingest.loading, "run", run)
    summary = ingest(con, case)["predictions"]
    assert (summary.files_loaded, summary.rows_loaded) == (1, 2)
    assert len(summary.errors) == 1
    assert "2.csv: a column does not fit the type already stored" in summary.errors[0]
    assert scalar(con, "SELECT count(*) FROM loans.predictions") == 2
    assert scalar(con, "SELECT count(*) FROM ingested_files") == 1  # 2.csv is read again
    stored = scalar(con, "SELECT count(*) FROM validation_results WHERE suite = 'predictions'")
    assert stored == scalar(
        con,
        "SELECT count(DISTINCT expectation) FROM validation_results WHERE suite = 'predictions'",
    )  # the group's results, once


def test_one_bad_cell_after_the_first_10000_rows_sets_aside_its_row_only(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    rows = [f"x{i},2026-05-01T09:00:00,0.5,1,v1,100,A" for i in range(12_000)]
    rows[11_000] = "bad,2026-05-01T09:00:00,high,1,v1,100,A"
    write_predictions(case, "1.csv", rows)
    summary = ingest(con, case)["predictions"]
    assert (summary.rows_loaded, summary.rows_quarantined, summary.errors) == (11_999, 1, [])
    assert con.execute("SELECT source_row, reason FROM loans.quarantine").fetchall() == [
        (11_001, "score 'high' is not a number")
    ]


def test_a_file_with_columns_named_as_bottomlines_own_loads_and_keeps_them_as_written(
    con: duckdb.DuckDBPyConnection, case: BusinessCase
) -> None:
    """A file with a column named `source_row` (the row number's name) was unreadable."""
    header = "id,ts,p,d,version,amount,band,source_row,score,source_file,day,raw:id"
    rows = [
        "a,2026-05-01T09:00:00,0.9,1,v1,100,A,77,x,y,z,w",
        "b,2026-05-01T10:00:00,high,0,v1,200,B,78,x,y,z,w",
    ]
    path = case.base_dir / "predictions" / "1.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    summary = ingest(con, case)["predictions"]
    assert (summary.rows_loaded, summary.rows_quarantined, summary.errors) == (1, 1, [])
    assert con.execute("SELECT prediction_id, score FROM loans.predictions").fetchall() == [
        ("a", 0.9)
    ]
    ((source_row, record),) = con.execute(
        "SELECT source_row, record FROM loans.quarantine"
    ).fetchall()
    assert source_row == 2
    assert json.loads(record)["source_row (in the file)"] == 78


@pytest.mark.parametrize("name", NAMES_LEFT_AS_THEY_WERE)
def test_a_case_column_named_as_an_internal_one_is_loaded_and_aggregated(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / "predictions").mkdir()
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "reference.csv").write_text(
        f"p,y,version,amount,{name}\n"
        + "".join(f"{i / 10},{int(i >= 5)},v1,{50 * (i + 1)},{'AB'[i % 2]}\n" for i in range(10))
    )
    (tmp_path / "predictions" / "1.csv").write_text(
        f"id,ts,p,d,version,amount,{name}\n" + "\n".join(DAY_ONE) + "\n"
    )
    (tmp_path / "outcomes" / "1.csv").write_text("id,y\na,1\nb,0\n")
    predictions = {**case_document()["predictions"], "features": ["amount", name]}
    case = make_case(tmp_path, predictions=predictions, segments=[name])
    con = duckdb.connect()
    migrate(con, NOW)
    assert ingest(con, case)["predictions"].rows_loaded == 2
    aggregate_days(con, case, Calibrator(pooled=IDENTITY), [], stale_days(con, "loans"))
    assert con.execute(
        "SELECT segment_value, predictions FROM metrics_daily WHERE segment = ? ORDER BY 1",
        [name],
    ).fetchall() == [("A", 1), ("B", 1)]
