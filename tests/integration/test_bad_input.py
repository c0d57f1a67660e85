"""Issue 3, item 5: each kind of bad input fed through the real nightly flow.

One project receives every bad file at once and runs the flow once (module fixture); each test
then checks what a user would see for its case: the message, the rows set aside, and that the
good rows were still counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bottomline.demo.data import PREDICTION_COLUMNS
from cli.main import main
from tests.integration.conftest import SETTINGS, Project, make_project, pdf_text
from tests.integration.test_nightly import run_nightly

DAY = SETTINGS.end
COLUMNS = PREDICTION_COLUMNS  # as the demo writes them


def application(identifier: str, **changes: Any) -> dict[str, Any]:
    row = {
        "id": identifier,
        "timestamp": f"{DAY}T10:00:00Z",
        "model_version": "v1",
        "y_pred_proba": 0.93,
        "y_pred": 1,
        "loan_amount": 10000.0,
        "car_value": 12500.0,
        "salary_range": "30-50k",
        "debt_to_income_ratio": 0.25,
        "employment_type": "employed",
        "age": 40,
        "credit_history_years": 8.0,
        "region": "north",
    }
    row.update(changes)
    return row


def csv_text(rows: list[dict[str, Any]], columns: list[str] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: row.get(column) for column in columns} for row in rows)
    return buffer.getvalue()


def accept_any_file_type(project: Project) -> None:
    """The demo case reads only Parquet; bad inputs come in every type."""
    path = project.models / "car_loans.yaml"
    path.write_text(path.read_text().replace("*/*.parquet", "*/*"))


def drop(project: Project, name: str, content: str | bytes, kind: str = "predictions") -> Path:
    target = project.data / kind / f"date={DAY}" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    return target


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("bad_inputs"))
    accept_any_file_type(project)
    whole = (
        project.data / "predictions" / f"date={DAY - dt.timedelta(days=1)}" / "part-0.parquet"
    ).read_bytes()
    drop(project, "truncated.parquet", whole[: len(whole) // 2])
    renamed = [column if column != "y_pred_proba" else "y_pred_prob" for column in COLUMNS]
    drop(project, "renamed.csv", csv_text([{**application("R-1"), "y_pred_prob": 0.9}], renamed))
    drop(
        project,
        "text_score.csv",
        csv_text([application("S-1"), application("S-2", y_pred_proba="high"), application("S-3")]),
    )
    drop(project, "empty.csv", b"")
    drop(project, "header_only.csv", csv_text([]))
    drop(
        project,
        "windows.csv",
        b"\xef\xbb\xbf"
        + csv_text([application("W-1"), application("W-2")]).replace("\n", "\r\n").encode(),
    )
    lines = [
        json.dumps(application("J-1")),
        '{"id": "J-2", "y_pred_proba": 0.4,',
        json.dumps(application("J-3")),
    ]
    drop(project, "lines.jsonl", "\n".join(lines) + "\n")
    drop(
        project,
        "nan_inf.csv",
        csv_text(
            [
                application("N-1", y_pred_proba="nan"),
                application("N-2", y_pred_proba="inf"),
                application("N-3", y_pred_proba=-0.1),
                application("N-4"),
            ]
        ),
    )
    state = run_nightly(project)
    assert state.is_completed(), state.message  # bad files never stop the run
    return project


def message(project: Project) -> str:
    return str(project.query("SELECT message FROM runs")[0][0])


def quarantined(project: Project, file_name: str) -> list[tuple[Any, ...]]:
    return project.query(
        "SELECT source_row, column_name, rule, reason FROM car_loans.quarantine "
        f"WHERE source_file LIKE '%/{file_name}' ORDER BY source_row"
    )


def loaded(project: Project, *ids: str) -> list[str]:
    listed = ", ".join(f"'{identifier}'" for identifier in ids)
    return [
        row[0]
        for row in project.query(
            f"SELECT prediction_id FROM car_loans.predictions WHERE prediction_id IN ({listed}) "
            "ORDER BY prediction_id"
        )
    ]


def report_text(project: Project) -> str:
    (path,) = project.query("SELECT report_path FROM runs")[0]
    return " ".join(pdf_text(Path(path)).split())


def test_a_truncated_parquet_file_is_named_and_the_rest_load(bad_inputs: Project) -> None:
    assert "truncated.parquet: cannot be read as parquet" in message(bad_inputs)
    demo_rows = bad_inputs.query(
        "SELECT count(*) FROM car_loans.predictions WHERE prediction_id LIKE 'A%'"
    )[0][0]
    assert demo_rows == bad_inputs.truth.predictions
    text = report_text(bad_inputs)
    assert "Data problems: 3 source files could not be read" in text
    assert "truncated.parquet: cannot be read as parquet" in text


def test_a_renamed_column_says_which_key_needs_it(bad_inputs: Project) -> None:
    assert (
        "renamed.csv: missing column(s) 'y_pred_proba' (needed by predictions.score, "
        "did you mean 'y_pred_prob'?)"
    ) in message(bad_inputs)
    assert loaded(bad_inputs, "R-1") == []


def test_text_in_the_score_column_sets_that_row_aside(bad_inputs: Project) -> None:
    assert quarantined(bad_inputs, "text_score.csv") == [
        (2, "y_pred_proba", "score_is_number", "score 'high' is not a number")
    ]
    assert loaded(bad_inputs, "S-1", "S-2", "S-3") == ["S-1", "S-3"]


def test_an_empty_file_is_an_error_and_a_header_alone_a_note(bad_inputs: Project) -> None:
    assert "empty.csv: the file is empty (0 bytes)" in message(bad_inputs)
    assert "header_only.csv" not in message(bad_inputs)
    assert "header_only.csv: the file has no rows" in report_text(bad_inputs)


def test_a_byte_order_mark_and_windows_line_endings_load_normally(bad_inputs: Project) -> None:
    assert loaded(bad_inputs, "W-1", "W-2") == ["W-1", "W-2"]
    assert quarantined(bad_inputs, "windows.csv") == []


def test_a_line_that_is_not_json_is_set_aside_alone(bad_inputs: Project) -> None:
    (row,) = quarantined(bad_inputs, "lines.jsonl")
    assert row[:3] == (2, None, "row_readable")
    assert row[3].startswith("line 2 is not valid JSON")
    assert loaded(bad_inputs, "J-1", "J-3") == ["J-1", "J-3"]


def test_nan_and_infinite_scores_are_set_aside(bad_inputs: Project) -> None:
    assert [row[3] for row in quarantined(bad_inputs, "nan_inf.csv")] == [
        "score 'nan' is not a number",
        "score 'inf' is not a probability between 0 and 1",
        "score '-0.1' is not a probability between 0 and 1",
    ]
    assert loaded(bad_inputs, "N-1", "N-2", "N-3", "N-4") == ["N-4"]


def test_every_row_read_is_loaded_or_set_aside(bad_inputs: Project) -> None:
    for kind in ("predictions", "outcomes"):
        ((read, loaded_rows, aside),) = bad_inputs.query(
            f"SELECT sum(rows_read), sum(rows_loaded), sum(rows_quarantined) FROM ingested_files "
            f"WHERE kind = '{kind}'"
        )
        stored = bad_inputs.query(f"SELECT count(*) FROM car_loans.{kind}")[0][0]
        kept_aside = bad_inputs.query(
            f"SELECT count(*) FROM car_loans.quarantine WHERE kind = '{kind}'"
        )[0][0]
        assert read == loaded_rows + aside == stored + kept_aside


def test_the_quarantine_command_lists_rows_with_file_row_and_reason(
    bad_inputs: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quarantine", "--model", "car_loans", *bad_inputs.cli_paths()]) == 0
    output = capsys.readouterr().out
    assert "car_loans: 5 rows set aside" in output
    assert "score_is_probability  (1 file(s))" in output
    assert (
        "text_score.csv, row 2, column y_pred_proba (predictions): score 'high' is not a "
        "number" in output
    )


def test_a_timestamp_in_another_format_is_set_aside_then_readmitted(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    accept_any_file_type(project)
    drop(
        project,
        "zones.csv",
        csv_text(
            [
                application("Z-1", timestamp=f"{DAY}T23:30:00+02:00"),  # 21:30 UTC: Berlin's 31 May
                application(
                    "Z-2", timestamp=f"{DAY - dt.timedelta(days=1)}T22:30:00Z"
                ),  # Berlin 00:30
                application("Z-3", timestamp="31/05/2026 10:00"),
            ]
        ),
    )
    assert run_nightly(project).is_completed()
    assert project.query(
        "SELECT prediction_id, day FROM car_loans.predictions "
        "WHERE prediction_id LIKE 'Z-%' ORDER BY 1"
    ) == [("Z-1", DAY), ("Z-2", DAY)]
    assert [row[3] for row in quarantined(project, "zones.csv")] == [
        "timestamp '31/05/2026 10:00' is empty or not a date-time (expected ISO 8601, "
        "e.g. 2026-05-01T10:00:00Z)"
    ]

    case_file = project.models / "car_loans.yaml"
    case_file.write_text(
        case_file.read_text().replace(
            "  timestamp: timestamp\n",
            "  timestamp: timestamp\n  timestamp_format: '%d/%m/%Y %H:%M'\n",
            1,
        )
    )
    assert main(["quarantine", "--model", "car_loans", "--reingest", *project.cli_paths()]) == 0
    assert "1 file(s) with rows set aside will be read again" in capsys.readouterr().out
    assert run_nightly(project).is_completed()
    assert quarantined(project, "zones.csv") == []
    assert loaded(project, "Z-1", "Z-2", "Z-3") == ["Z-1", "Z-2", "Z-3"]


def test_an_id_in_two_files_keeps_the_later_row(project: Project) -> None:
    accept_any_file_type(project)
    assert run_nightly(project).is_completed()
    (first_id, first_score, first_day) = project.query(
        "SELECT prediction_id, score, day FROM car_loans.predictions ORDER BY prediction_id LIMIT 1"
    )[0]
    drop(
        project,
        "resent.csv",
        csv_text(
            [application(first_id, y_pred_proba=0.5, y_pred=0, timestamp=f"{first_day}T12:00:00Z")]
        ),
    )
    assert run_nightly(project).is_completed()
    assert project.query(
        "SELECT score, count(*) OVER () FROM car_loans.predictions "
        f"WHERE prediction_id = '{first_id}'"
    ) == [(0.5, 1)]
    ((rule, reason, old_score),) = project.query(
        "SELECT rule, reason, json_extract(record, '$.score')::DOUBLE FROM car_loans.quarantine"
    )
    assert rule == "replaced_by_later_row"
    assert reason.startswith("replaced by a later row with the same id (")
    assert reason.endswith("resent.csv, row 1)")
    assert old_score == first_score
    assert project.query(
        "SELECT success, unexpected_count FROM validation_results "
        "WHERE expectation = 'id_new' ORDER BY validated_at DESC LIMIT 1"
    ) == [(False, 1)]
    assert (
        project.query("SELECT count(*) FROM car_loans.predictions")[0][0]
        == project.truth.predictions
    )


def test_an_outcome_before_its_prediction_counts_when_the_prediction_arrives(
    project: Project,
) -> None:
    accept_any_file_type(project)
    drop(
        project,
        "early.csv",
        "id,repaid,observed_at\nEARLY-1,1,2026-05-31T09:00:00Z\n",
        kind="outcomes",
    )
    assert run_nightly(project).is_completed()
    realized = "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    (before,) = project.query(realized)[0]
    assert project.query(
        "SELECT count(*) FROM car_loans.outcomes WHERE prediction_id = 'EARLY-1'"
    ) == [(1,)]
    assert project.query(
        "SELECT unexpected_count FROM validation_results "
        "WHERE expectation = 'outcome_has_prediction'"
    ) == [(1,)]

    drop(project, "late.csv", csv_text([application("EARLY-1", loan_amount=10000.0)]))
    assert run_nightly(project).is_completed()
    (after,) = project.query(realized)[0]
    assert after - before == pytest.approx(0.06 * 10000.0)  # approved and repaid: the margin


def test_the_dirty_demo_recovers_its_truth_and_the_report_shows_the_dirt(
    tmp_path: Path,
) -> None:
    from bottomline.demo.data import generate_demo

    project = make_project(tmp_path)
    shutil.rmtree(project.data)
    truth = generate_demo(
        project.data, SETTINGS.__class__(**{**SETTINGS.__dict__, "dirty_share": 0.01})
    )
    project = Project(root=project.root, truth=truth)
    assert run_nightly(project).is_completed()
    (realized,) = project.query(
        "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    )[0]
    assert realized == pytest.approx(truth.realized_value, abs=0.01)
    by_kind = dict(project.query("SELECT kind, count(*) FROM car_loans.quarantine GROUP BY kind"))
    assert by_kind == {
        "predictions": truth.broken_predictions + truth.resent_predictions,
        "outcomes": truth.bad_labels,
    }
    assert project.query("SELECT count(*) FROM car_loans.predictions")[0][0] == truth.predictions
    text = report_text(project)
    share = (truth.broken_predictions + truth.resent_predictions) / (
        truth.predictions + truth.broken_predictions + truth.resent_predictions
    )
    assert share >= 0.01  # a share this large is a data problem, not a warning
    assert "Data problems: " in text
    assert "of the period's prediction rows were set aside" in text
    assert "Set aside this run:" in text
    assert "Every label is 0 or 1" in text
    (message,) = project.emails()
    body = message.get_body(("plain",))
    assert body is not None
    assert "Data: Data problems: " in body.get_content()
    ((docs,),) = project.query("SELECT data_docs_path FROM runs")
    assert Path(docs).name == "index.html"
    assert "Great Expectations" in Path(docs).read_text()
