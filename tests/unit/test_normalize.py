from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from bottomline.config import BusinessCase
from bottomline.normalize import normalize_outcomes, normalize_predictions
from bottomline.sources import SourceError
from tests.helpers import make_case


@pytest.fixture
def case(tmp_path: Path) -> BusinessCase:
    return make_case(tmp_path, timezone="Europe/Berlin")


def raw_predictions(**changes: list[object]) -> pl.DataFrame:
    columns: dict[str, list[object]] = {
        "id": ["a", "b", "c"],
        "ts": ["2026-05-01T22:30:00Z", "2026-05-01 10:00:00", "2026-05-01T10:00:00+02:00"],
        "p": [0.9, 0.2, 0.5],
        "d": [1, 0, 1],
        "version": ["v1", "v1", None],
        "amount": [100.0, 200.0, 300.0],
        "band": ["A", "B", "A"],
    }
    columns.update(changes)
    return pl.DataFrame(columns, strict=False)


def test_standard_columns_and_days_in_the_case_zone(case: BusinessCase) -> None:
    result = normalize_predictions(raw_predictions(), case, "f.csv")
    rows = result.rows
    assert rows["prediction_id"].to_list() == ["a", "b", "c"]
    assert rows["predicted_at"].to_list() == [
        dt.datetime(2026, 5, 1, 22, 30),
        dt.datetime(2026, 5, 1, 10, 0),
        dt.datetime(2026, 5, 1, 8, 0),
    ]
    # 22:30 UTC is already 2 May in Berlin
    assert rows["day"].to_list() == [dt.date(2026, 5, 2), dt.date(2026, 5, 1), dt.date(2026, 5, 1)]
    assert rows["model_version"].to_list() == ["v1", "v1", "unknown"]
    assert rows["source_row"].to_list() == [1, 2, 3]
    assert result.quarantined.height == 0


def test_bad_rows_are_set_aside_with_row_column_and_reason(case: BusinessCase) -> None:
    raw = raw_predictions(
        id=["a", None, "c", "d", "e", "f"],
        ts=["2026-05-01", "2026-05-01", "yesterday", "2026-05-01", "2026-05-01", "2026-05-01"],
        p=[0.5, 0.5, 0.5, float("nan"), 1.5, 0.5],
        d=[1, 1, 1, 1, 1, 2],
        version=["v1"] * 6,
        amount=[1.0] * 6,
        band=["A"] * 6,
    )
    result = normalize_predictions(raw, case, "f.csv")
    assert result.rows["prediction_id"].to_list() == ["a"]
    quarantined = result.quarantined.to_dicts()
    assert [(q["source_row"], q["column_name"]) for q in quarantined] == [
        (2, "id"),
        (3, "ts"),
        (4, "p"),
        (5, "p"),
        (6, "d"),
    ]
    assert quarantined[1]["reason"] == "timestamp 'yesterday' is empty or not a date-time"
    assert quarantined[3]["reason"] == "score '1.5' is not a probability between 0 and 1"
    assert quarantined[4]["reason"] == "decision '2' is not 0 or 1"
    assert json.loads(quarantined[1]["record"])["ts"] == "yesterday"
    assert result.rows_read == result.rows.height + result.quarantined.height


def test_a_repeated_id_keeps_the_last_row(case: BusinessCase) -> None:
    raw = raw_predictions(id=["a", "b", "a"])
    result = normalize_predictions(raw, case, "f.csv")
    assert result.rows["source_row"].to_list() == [2, 3]
    assert result.quarantined.select("source_row", "reason").row(0) == (
        1,
        "id repeats later in the same file (row 3 kept)",
    )


def test_a_missing_column_names_the_file_and_the_keys_that_need_it(case: BusinessCase) -> None:
    with pytest.raises(SourceError) as caught:
        normalize_predictions(raw_predictions().drop("amount", "p"), case, "data/f.csv")
    message = str(caught.value)
    assert message.startswith("data/f.csv: missing column(s) 'p' (needed by predictions.score)")
    assert (
        "'amount' (needed by predictions.features, value.true_positive, value.false_positive)"
        in message
    )


def test_decisions_default_to_the_threshold(tmp_path: Path) -> None:
    case = make_case(
        tmp_path,
        predictions={
            "source": {"path": "p.csv"},
            "id": "id",
            "timestamp": "ts",
            "score": "p",
            "threshold": 0.6,
            "features": ["amount", "band"],
        },
    )
    result = normalize_predictions(raw_predictions(), case, "f.csv")
    assert result.rows["decision"].to_list() == [1, 0, 0]
    assert result.rows["model_version"].to_list() == [None, None, None]


def test_outcomes_take_text_and_boolean_labels(case: BusinessCase) -> None:
    raw = pl.DataFrame({"id": ["a", "b", "c", "d"], "y": ["1", "0", "yes", " 1 "]})
    result = normalize_outcomes(raw, case, "o.csv")
    assert result.rows.select("prediction_id", "label").rows() == [("a", 1), ("b", 0), ("d", 1)]
    assert result.quarantined["reason"].to_list() == ["label 'yes' is not 0 or 1"]
    booleans = normalize_outcomes(pl.DataFrame({"id": ["a"], "y": [True]}), case, "o.csv")
    assert booleans.rows["label"].to_list() == [1]
