"""From rows as files have them to standard columns: conversion only, nothing judged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import standardize_outcomes, standardize_predictions
from bottomline.ingest.sources import SourceError, SourceRead
from bottomline.validation.profile import column_kinds
from tests.helpers import case_document, make_case


def read(**columns: list[object]) -> SourceRead:
    frame = pl.DataFrame(columns, strict=False)
    rows = frame.with_row_index("source_row", offset=1).with_columns(
        pl.col("source_row").cast(pl.Int64)
    )
    return SourceRead(
        rows,
        pl.DataFrame(schema={"source_row": pl.Int64, "reason": pl.String, "record": pl.String}),
    )


def predictions(**changes: list[object]) -> SourceRead:
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
    return read(**columns)


@pytest.fixture
def case(tmp_path: Path) -> BusinessCase:
    return make_case(tmp_path, timezone="Europe/Berlin")


def standard(case: BusinessCase, source: SourceRead) -> pl.DataFrame:
    kinds = column_kinds(case, None)
    return standardize_predictions(source, case, "f.csv", kinds).rows


def test_standard_columns_and_days_in_the_case_zone(case: BusinessCase) -> None:
    rows = standard(case, predictions())
    assert rows["prediction_id"].to_list() == ["a", "b", "c"]
    assert rows["predicted_at"].to_list() == [
        dt.datetime(2026, 5, 1, 22, 30),
        dt.datetime(2026, 5, 1, 10, 0),
        dt.datetime(2026, 5, 1, 8, 0),
    ]
    # 22:30 UTC is already 2 May in Berlin
    assert rows["day"].to_list() == [dt.date(2026, 5, 2), dt.date(2026, 5, 1), dt.date(2026, 5, 1)]
    assert rows["model_version"].to_list() == ["v1", "v1", "unknown"]
    assert rows["source_file"].to_list() == ["f.csv"] * 3
    assert rows["raw:ts"].to_list()[0] == "2026-05-01T22:30:00Z"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1_777_629_600], dt.datetime(2026, 5, 1, 10, 0)),  # epoch seconds
        ([1_777_629_600_000], dt.datetime(2026, 5, 1, 10, 0)),  # epoch milliseconds
        (["1777629600"], dt.datetime(2026, 5, 1, 10, 0)),  # epoch seconds, written as text
        (["2026-05-01"], dt.datetime(2026, 5, 1)),
        (["2026-05-01T10:00:00.250+00:00"], dt.datetime(2026, 5, 1, 10, 0, 0, 250000)),
        (["01/05/2026 10:00"], None),  # not ISO: unreadable without timestamp_format
    ],
)
def test_timestamps_in_many_forms(
    case: BusinessCase, values: list[object], expected: dt.datetime | None
) -> None:
    one_row = read(id=["a"], ts=values, p=[0.5], d=[1], version=["v1"], amount=[1.0], band=["A"])
    assert standard(case, one_row)["predicted_at"].to_list() == [expected]


def test_a_timestamp_format_reads_other_layouts(tmp_path: Path) -> None:
    document = case_document()
    document["predictions"]["timestamp_format"] = "%d/%m/%Y %H:%M"
    case = make_case(tmp_path, predictions=document["predictions"])
    rows = standard(case, predictions(ts=["01/05/2026 10:00", "2026-05-01T10:00:00Z", "x"]))
    assert rows["predicted_at"].to_list() == [
        dt.datetime(2026, 5, 1, 10),
        dt.datetime(2026, 5, 1, 10),
        None,
    ]


def test_unconvertible_values_become_missing_not_errors(case: BusinessCase) -> None:
    rows = standard(
        case,
        predictions(p=["0.5", "high", "nan"], d=["1", "yes", "1.0"], amount=["100", "", "1e3"]),
    )
    assert rows["score"].to_list()[:2] == [0.5, None]
    assert rows["decision"].to_list() == [1, None, 1]
    assert rows["amount"].to_list() == [100.0, None, 1000.0]


def test_a_missing_column_names_file_keys_and_the_nearest_column(case: BusinessCase) -> None:
    renamed = predictions()
    renamed = SourceRead(
        renamed.rows.rename({"amount": "amounts", "p": "score_v2"}), renamed.unreadable
    )
    with pytest.raises(SourceError) as caught:
        standard(case, renamed)
    message = str(caught.value)
    assert message.startswith("f.csv: missing column(s) 'p' (needed by predictions.score); ")
    assert (
        "'amount' (needed by predictions.features, value.true_positive, "
        "value.false_positive, did you mean 'amounts'?)"
    ) in message
    assert message.endswith("the file has id, ts, score_v2, d, version, amounts, band")


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
    rows = standard(case, predictions())
    assert rows["decision"].to_list() == [1, 0, 0]
    assert rows["model_version"].to_list() == [None, None, None]


def test_outcome_labels_from_text_numbers_and_booleans(case: BusinessCase) -> None:
    rows = standardize_outcomes(
        read(id=["a", "b", "c", "d", "e"], y=["1", "0", "yes", " 1 ", "2"]), case, "o.csv"
    ).rows
    assert rows["label"].to_list() == [1, 0, None, 1, 2]
    booleans = standardize_outcomes(read(id=["a"], y=[True]), case, "o.csv").rows
    assert booleans["label"].to_list() == [1]
