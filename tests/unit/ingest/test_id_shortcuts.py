"""The shortcuts taken when no id comes twice: the same flags as the exact path, and taken
only when they are right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import standardize_outcomes, standardize_predictions
from bottomline.ingest.stored_ids import distinct_ids
from bottomline.validation.derive import (
    outcome_flags,
    prediction_flags,
    repeats_in_file,
)
from bottomline.validation.profile import column_kinds
from bottomline.validation.rules import Rule, outcome_rules, prediction_rules
from tests.helpers import make_case
from tests.unit.validation.test_validation import NO_IDS, NOW, rows, source


@pytest.fixture
def case(tmp_path: Path) -> BusinessCase:
    return make_case(tmp_path)


def test_distinct_ids_sets_missing_ids_aside() -> None:
    assert distinct_ids(pl.Series(["a", None, "b", None]))
    assert not distinct_ids(pl.Series(["a", "b", "a"]))
    assert distinct_ids(pl.Series([], dtype=pl.String))


def before_unique(rules: list[Rule]) -> list[Rule]:
    """The rules a row must pass before its id's repeats are looked at."""
    return rules[: [rule.key for rule in rules].index("id_unique_in_file")]


def predictions(case: BusinessCase, ids: list[str | None], path: str) -> pl.DataFrame:
    read = rows(len(ids), id=ids, p=["0.5", "x", "0.2", "0.9"][: len(ids)])
    return standardize_predictions(read, case, path, column_kinds(case, None)).rows


def test_prediction_flags_with_distinct_ids_equal_the_exact_ones(case: BusinessCase) -> None:
    """Two files, one row unreadable, one id stored before: every flag and kept row agrees."""
    batch = pl.concat(
        [predictions(case, ["a", "b", None], "1.csv"), predictions(case, ["c", "d"], "2.csv")]
    )
    assert distinct_ids(batch["prediction_id"])
    stored = pl.Series("prediction_id", ["d"])
    earlier = before_unique(prediction_rules(case, None))

    def flags(distinct: bool) -> pl.DataFrame:
        flagged = prediction_flags(batch, NOW, dt.date(2026, 5, 2), stored, distinct)
        return repeats_in_file(flagged, earlier, distinct)

    exact, shortcut = flags(False), flags(True)
    assert_frame_equal(shortcut, exact)
    assert exact["replaces_earlier_row"].to_list() == [False, False, False, False, True]
    # b and d have unreadable scores, and a missing id is never kept
    assert exact["kept_row"].to_list() == [1, None, None, 1, None]


def test_ids_repeated_across_files_take_the_exact_path(case: BusinessCase) -> None:
    batch = pl.concat(
        [predictions(case, ["a", "b"], "1.csv"), predictions(case, ["b", "c"], "2.csv")]
    )
    assert not distinct_ids(batch["prediction_id"])
    flagged = prediction_flags(batch, NOW, None, NO_IDS, distinct_ids(batch["prediction_id"]))
    assert flagged["replaces_earlier_row"].to_list() == [False, False, True, False]


def outcomes(case: BusinessCase, ids: list[str], labels: list[int]) -> pl.DataFrame:
    return standardize_outcomes(source(id=ids, y=labels), case, "o.csv").rows


def test_outcome_flags_with_distinct_ids_equal_the_exact_ones(case: BusinessCase) -> None:
    batch = outcomes(case, ["a", "b", "c"], [1, 0, 1])
    with_prediction = pl.Series("prediction_id", ["a", "b", "c"])
    exact = repeats_in_file(
        outcome_flags(batch, with_prediction), before_unique(outcome_rules(case))
    )
    shortcut = repeats_in_file(
        outcome_flags(batch, with_prediction, distinct=True, every_id_has_prediction=True),
        before_unique(outcome_rules(case)),
        distinct=True,
    )
    assert_frame_equal(shortcut, exact)
    assert not exact["no_prediction_yet"].any()
    assert not exact["label_conflict"].any()


def test_an_outcome_without_prediction_is_still_found(case: BusinessCase) -> None:
    batch = outcomes(case, ["a", "b", "a"], [1, 0, 0])
    flagged = outcome_flags(
        batch, pl.Series("prediction_id", ["a"]), distinct_ids(batch["prediction_id"])
    )
    assert flagged["no_prediction_yet"].to_list() == [False, True, False]
    assert flagged["label_conflict"].to_list() == [True, False, True]


def test_each_file_of_a_group_is_split_on_its_own(case: BusinessCase) -> None:
    """Two files with distinct ids get their flags file by file; the split of each file is
    its own rows, and together they are the split of the whole batch."""
    from bottomline.validation.batch import BatchContext, check_predictions, split_files, split_rows

    files = [
        standardize_predictions(rows(3, id=ids, p=scores), case, path, column_kinds(case, None))
        for ids, scores, path in (
            (["a", "b", "c"], ["0.5", "x", "0.2"], "1.csv"),
            (["d", "e", "f"], ["0.1", "0.2", "2"], "2.csv"),
        )
    ]
    checked = check_predictions(files, BatchContext(case, NOW, None, None), NO_IDS)
    parts = split_files(checked)
    assert [part.rows["prediction_id"].to_list() for part in parts] == [["a", "c"], ["d", "e"]]
    assert [part.rejected["source_row"].to_list() for part in parts] == [[2], [3]]
    assert "source_file" not in parts[0].rows.columns
    whole = split_rows(checked)
    assert whole.rows["prediction_id"].to_list() == ["a", "c", "d", "e"]
    assert whole.rows["source_file"].to_list() == ["1.csv", "1.csv", "2.csv", "2.csv"]
    assert whole.rejected["source_file"].to_list() == ["1.csv", "2.csv"]
