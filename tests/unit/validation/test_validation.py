"""Validation rules run with real Great Expectations on small literal batches."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl
import pytest

from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import standardize_outcomes, standardize_predictions
from bottomline.ingest.sources import SourceRead
from bottomline.validation.batch import BatchContext, validate_outcomes, validate_predictions
from bottomline.validation.checks import passes
from bottomline.validation.derive import daily_volume
from bottomline.validation.gx_runner import GxValidator
from bottomline.validation.profile import column_kinds, profile_reference
from bottomline.validation.rules import arrival_rule, volume_rules
from bottomline.validation.run_checks import PolarsValidator
from bottomline.validation.shown_values import capped, shown_result
from tests.helpers import make_case

NOW = dt.datetime(2026, 5, 3, 6, 0)
NO_IDS = pl.Series("prediction_id", [], dtype=pl.String)


@pytest.fixture
def case(tmp_path: Path) -> BusinessCase:
    return make_case(tmp_path)


def source(**columns: Sequence[object]) -> SourceRead:
    frame = pl.DataFrame({name: list(values) for name, values in columns.items()}, strict=False)
    rows = frame.with_row_index("source_row", offset=1).with_columns(
        pl.col("source_row").cast(pl.Int64)
    )
    return SourceRead(
        rows,
        pl.DataFrame(schema={"source_row": pl.Int64, "reason": pl.String, "record": pl.String}),
    )


def rows(count: int, **changes: Sequence[object]) -> SourceRead:
    columns: dict[str, Sequence[object]] = {
        "id": [f"x{i}" for i in range(count)],
        "ts": ["2026-05-02T10:00:00Z"] * count,
        "p": [0.5] * count,
        "d": [1] * count,
        "version": ["v1"] * count,
        "amount": [100.0] * count,
        "band": ["A"] * count,
    }
    columns.update(changes)
    return source(**columns)


def validate(
    case: BusinessCase,
    validator: GxValidator,
    *files: SourceRead,
    reference: pl.DataFrame | None = None,
    loaded_elsewhere: pl.Series = NO_IDS,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, tuple[bool, int]]]:
    kinds = column_kinds(case, reference.schema if reference is not None else None)
    standardized = [
        standardize_predictions(file, case, f"f{n}.csv", kinds) for n, file in enumerate(files)
    ]
    profile = profile_reference(reference, case) if reference is not None else None
    context = BatchContext(case, NOW, dt.date(2026, 5, 2), profile)
    batch = validate_predictions(standardized, context, loaded_elsewhere, validator)
    results = {r.rule.key: (r.success, r.unexpected_count) for r in batch.results}
    return batch.rows, batch.rejected, results


def test_clean_rows_pass_every_rule(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    loaded, rejected, results = validate(case, make_validator(), rows(3))
    assert loaded.height == 3
    assert rejected.height == 0
    assert all(success for success, _ in results.values()), results


def test_bad_rows_are_set_aside_with_rule_column_and_quoted_value(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    bad = rows(
        8,
        id=["a", None, "c", "d", "e", "f", "g", "h"],
        ts=["2026-05-02T10:00:00Z", "2026-05-02T10:00:00Z", "yesterday", "2026-05-09T10:00:00Z"]
        + ["2026-05-02T10:00:00Z"] * 4,
        p=["0.5", "0.5", "0.5", "0.5", "high", "nan", "inf", "0.5"],
        d=[1, 1, 1, 1, 1, 1, 1, 2],
        amount=[100.0] * 8,
    )
    loaded, rejected, results = validate(case, make_validator(), bad)
    assert loaded["prediction_id"].to_list() == ["a"]
    assert rejected.select("source_row", "column_name", "rule", "reason").rows() == [
        (2, "id", "id_present", "id is empty"),
        (
            3,
            "ts",
            "timestamp_readable",
            "timestamp 'yesterday' is empty or not a date-time (expected ISO 8601, "
            "e.g. 2026-05-01T10:00:00Z)",
        ),
        (4, "ts", "timestamp_not_in_future", "timestamp '2026-05-09T10:00:00Z' is in the future"),
        (5, "p", "score_is_number", "score 'high' is not a number"),
        (6, "p", "score_is_number", "score 'nan' is not a number"),
        (7, "p", "score_is_probability", "score 'inf' is not a probability between 0 and 1"),
        (8, "d", "decision_is_0_or_1", "decision '2' is not 0 or 1"),
    ]
    assert json.loads(rejected["record"][1]) == {
        "id": "c",
        "ts": "yesterday",
        "p": "0.5",
        "d": 1,
        "version": "v1",
        "amount": 100.0,
        "band": "A",
    }
    assert results["score_is_number"] == (False, 2)
    assert results["id_present"] == (False, 1)


def test_value_inputs_must_be_numbers(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    _, rejected, _ = validate(case, make_validator(), rows(2, amount=["100", "n/a"]))
    assert rejected["reason"].to_list() == [
        "amount 'n/a' is empty or not a finite number; value.true_positive, value.false_positive "
        "needs it"
    ]


def test_a_value_input_that_is_not_finite_is_set_aside_not_carried_into_the_figures(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    """inf, -inf, NaN or 1e308 passed with a warning before, and every figure became n/a."""
    amounts = [100.0, float("inf"), float("-inf"), float("nan"), 1e308]
    loaded, rejected, results = validate(case, make_validator(), rows(5, amount=amounts))
    assert loaded["amount"].to_list() == [100.0]
    assert rejected["rule"].to_list() == ["value_input_amount"] * 4
    assert results["value_input_amount"] == (False, 4)


def test_a_value_rule_that_gives_no_finite_amount_sets_its_row_aside(
    tmp_path: Path, make_validator: Callable[[], GxValidator]
) -> None:
    divided = make_case(
        tmp_path,
        value={
            "true_positive": "1000 / amount",
            "false_positive": -5,
            "true_negative": 0,
            "false_negative": 0,
        },
    )
    loaded, rejected, results = validate(divided, make_validator(), rows(2, amount=[50.0, 0.0]))
    assert loaded["amount"].to_list() == [50.0]
    assert rejected["rule"].to_list() == ["value_is_finite"]
    assert results["value_is_finite"] == (False, 1)


def test_an_id_repeated_in_a_file_keeps_its_last_usable_row(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    repeated = rows(4, id=["a", "b", "a", "a"], p=[0.1, 0.2, 0.3, 7.0])
    loaded, rejected, _ = validate(case, make_validator(), repeated)
    assert loaded.select("prediction_id", "score").rows() == [("b", 0.2), ("a", 0.3)]
    assert rejected.select("source_row", "rule", "reason").rows() == [
        (1, "id_unique_in_file", "id repeats later in the same file (row 3 kept)"),
        (4, "score_is_probability", "score '7.0' is not a probability between 0 and 1"),
    ]


def test_ids_sent_again_are_loaded_and_warned_about(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    earlier = pl.Series("prediction_id", ["x0"], dtype=pl.String)
    loaded, rejected, results = validate(
        case, make_validator(), rows(2), rows(1, id=["x1"]), loaded_elsewhere=earlier
    )
    assert loaded.height == 3
    assert rejected.height == 0
    assert results["id_new"] == (False, 2)  # x0 stored before; x1 in an earlier file of the batch


def test_distinct_ids_in_many_files_are_not_repeats(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    files = [rows(2, id=[f"f{n}a", f"f{n}b"]) for n in range(3)]
    loaded, _, results = validate(case, make_validator(), *files)
    assert loaded.height == 6
    assert results["id_new"] == (True, 0)


def test_rows_after_the_as_of_day_are_loaded_with_a_warning(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    loaded, _, results = validate(
        case, make_validator(), rows(2, ts=["2026-05-02T10:00:00Z", "2026-05-03T01:00:00Z"])
    )
    assert loaded.height == 2
    assert results["not_after_as_of"] == (False, 1)


def test_the_reference_sets_null_rates_categories_and_ranges(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    reference = pl.DataFrame(
        {  # as load_reference returns it: standard names
            "score": [0.1, 0.9] * 50,
            "label": [0, 1] * 50,
            "model_version": ["v1"] * 100,
            "amount": [100.0, 200.0] * 50,
            "band": ["A", "B"] * 50,
        }
    )
    batch = rows(
        4,
        amount=[100.0, 150.0, 1000.0, 120.0],
        band=["A", "Z", None, None],
        version=["v1", "v1", "v1", "v9"],
    )
    loaded, rejected, results = validate(case, make_validator(), batch, reference=reference)
    assert loaded.height == 4  # warnings never set rows aside
    assert rejected.height == 0
    assert results["amount_within_range"] == (False, 1)  # 1000 is far outside 100-200
    assert results["band_known_categories"] == (False, 1)  # Z was never seen
    assert results["band_null_rate"] == (False, 2)  # half missing; the reference had none
    assert results["model_version_known"] == (False, 1)


def test_outcome_rules(case: BusinessCase, make_validator: Callable[[], GxValidator]) -> None:
    outcomes = source(id=["a", "b", "b", "c", "d", None], y=["1", "0", "1", "yes", "1", "0"])
    standardized = standardize_outcomes(outcomes, case, "o.csv")
    with_prediction = pl.Series("prediction_id", ["a", "b", "c"], dtype=pl.String)
    context = BatchContext(case, NOW, None, None)
    batch = validate_outcomes([standardized], context, with_prediction, make_validator())
    assert batch.rows.select("prediction_id", "label").rows() == [("a", 1), ("d", 1)]
    assert batch.rejected.select("source_row", "rule").rows() == [
        (2, "label_consistent"),
        (3, "label_consistent"),
        (4, "label_readable"),
        (6, "id_present"),
    ]
    results = {r.rule.key: (r.success, r.unexpected_count) for r in batch.results}
    assert results["outcome_has_prediction"] == (False, 1)  # d: kept, counted when it arrives


def test_gx_and_polars_agree_on_every_rule(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    """The rows set aside are chosen by Polars; GX's counts must say the same."""
    from bottomline.validation.derive import prediction_flags, repeats_in_file
    from bottomline.validation.rules import prediction_rules

    messy = rows(
        6,
        id=["a", None, "a", "d", "e", "f"],
        p=["0.5", "x", "2", "nan", "0.1", "inf"],
        ts=["2026-05-02", "bad", "2026-05-02", "2026-05-09", "2026-05-02", "2026-05-02"],
    )
    standardized = standardize_predictions(messy, case, "f.csv", column_kinds(case, None))
    rules = prediction_rules(case, None)
    batch = prediction_flags(standardized.rows, NOW, dt.date(2026, 5, 2), NO_IDS)
    batch = repeats_in_file(batch, rules[:-4])
    for result in make_validator().validate("predictions", rules, batch):
        assert (result.success, result.unexpected_count) == passes(result.rule.check, batch), (
            result.rule.key
        )


def test_daily_volume_compares_each_day_with_the_same_weekday() -> None:
    days = [dt.date(2026, 4, 1) + dt.timedelta(days=n) for n in range(35)]
    counts = pl.DataFrame({"day": days, "predictions": [100] * 35}).filter(
        pl.col("day") != dt.date(2026, 5, 3)
    )
    counts = counts.with_columns(
        pl.when(pl.col("day") == dt.date(2026, 5, 4))
        .then(400)
        .otherwise(pl.col("predictions"))
        .alias("predictions")
    )
    volume = daily_volume(counts, dt.date(2026, 5, 1), dt.date(2026, 5, 5))
    assert volume.select("day", "predictions", "has_predictions", "volume_typical").rows() == [
        (dt.date(2026, 5, 1), 100, True, True),
        (dt.date(2026, 5, 2), 100, True, True),
        (dt.date(2026, 5, 3), 0, False, False),
        (dt.date(2026, 5, 4), 400, True, False),  # 4x the median of the 4 Mondays before
        (dt.date(2026, 5, 5), 100, True, True),
    ]


def test_a_table_level_rule_alone_counts_the_rows(
    make_validator: Callable[[], GxValidator],
) -> None:
    arrived = pl.DataFrame({"path": ["a.parquet", "b.parquet"]})
    validator = make_validator()
    [found] = validator.validate("predictions", [arrival_rule()], arrived)
    [none] = validator.validate("predictions", [arrival_rule()], arrived.clear())
    assert (found.success, found.details["observed_value"]) == (True, 2)
    assert (none.success, none.details["observed_value"]) == (False, 0)


def test_the_runs_own_checks_judged_in_polars_agree_with_gx(
    make_validator: Callable[[], GxValidator],
) -> None:
    """Arrival and daily volume are judged without GX; on the same frames GX says the same."""
    days = [dt.date(2026, 4, 1) + dt.timedelta(days=n) for n in range(35)]
    counts = pl.DataFrame({"day": days, "predictions": [100] * 35}).filter(
        pl.col("day") != dt.date(2026, 5, 3)
    )
    cases = [
        ("predictions", [arrival_rule()], pl.DataFrame({"path": ["a.parquet", "b.parquet"]})),
        ("predictions", [arrival_rule()], pl.DataFrame({"path": []}, schema={"path": pl.String})),
        ("volume", volume_rules(), daily_volume(counts, dt.date(2026, 5, 1), dt.date(2026, 5, 5))),
        ("volume", volume_rules(), daily_volume(counts, dt.date(2026, 4, 5), dt.date(2026, 4, 9))),
    ]
    gx, polars = make_validator(), PolarsValidator()
    for suite, rules, frame in cases:
        by_gx = gx.validate(suite, rules, frame)
        by_polars = polars.validate(suite, rules, frame)
        assert [(r.success, r.unexpected_count, r.element_count) for r in by_polars] == [
            (r.success, r.unexpected_count, r.element_count) for r in by_gx
        ]
    assert [r.success for r in polars.validate(*cases[2])] == [False, False]  # 3 May empty


def test_a_validator_that_checked_nothing_builds_no_data_docs(tmp_path: Path) -> None:
    validator = GxValidator(run_name="quiet", run_time=NOW)
    assert not validator.used
    assert validator.build_docs(tmp_path / "docs") is None
    assert not (tmp_path / "docs").exists()


def test_timestamps_before_the_floor_are_set_aside_and_minutes_are_iso(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    """Years 0001 and 1900 loaded as prediction times; ISO 8601 without seconds did not."""
    stamps = ["0001-01-01T00:00:00Z", "1900-01-01T10:00:00", "2026-05-01T10:00", "2026-05-01 11:00"]
    loaded, rejected, results = validate(case, make_validator(), rows(4, ts=stamps))
    assert loaded["predicted_at"].to_list() == [
        dt.datetime(2026, 5, 1, 10, 0),
        dt.datetime(2026, 5, 1, 11, 0),
    ]
    assert rejected["rule"].to_list() == ["timestamp_not_too_early"] * 2
    assert rejected["reason"][1] == (
        "timestamp '1900-01-01T10:00:00' is before 2000-01-01 (predictions.not_before)"
    )
    assert results["timestamp_not_too_early"] == (False, 2)


def test_hostile_values_reach_the_data_docs_escaped_and_capped(
    case: BusinessCase, tmp_path: Path
) -> None:
    reference = pl.DataFrame(
        {
            "score": [0.1, 0.9] * 50,
            "label": [0, 1] * 50,
            "model_version": ["v1"] * 100,
            "amount": [100.0, 200.0] * 50,
            "band": ["A", "B"] * 50,
        }
    )
    hostile = ["<script>alert('xss')</script>", "<img src=x onerror=alert(1)>", "x" * 5000]
    validator = GxValidator(run_name="hostile", run_time=NOW)
    _, _, results = validate(case, validator, rows(3, band=hostile), reference=reference)
    assert results["band_known_categories"] == (False, 3)
    index = validator.build_docs(tmp_path / "docs")
    assert index is not None
    pages = "".join(page.read_text() for page in (tmp_path / "docs").rglob("*.html"))
    assert "<script>alert" not in pages
    assert "<img src=x" not in pages
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages
    assert "x" * 201 not in pages
    assert f"{'x' * 200}… (5000 characters)" in pages
    assert "&amp;lt;" not in pages  # escaped once, not twice
    # The index opens offline (before: GX's, built by scripts from CDNs, was blank here).
    text = index.read_text()
    assert "<script" not in text
    assert "cdn" not in text.lower()
    assert re.search(
        r'<a href="validations/predictions[^"]*\.html">predictions</a></td>'
        r'<td class="failed">failed</td><td>\d+ of \d+</td>',
        text,
    )
    assert (tmp_path / "docs" / "gx_index.html").exists()


def test_a_long_value_is_quoted_in_its_reason_cut_to_its_first_characters(
    case: BusinessCase, make_validator: Callable[[], GxValidator]
) -> None:
    _, rejected, _ = validate(case, make_validator(), rows(1, p=["9" * 5000]))
    (reason,) = rejected["reason"].to_list()
    assert reason == f"score '{'9' * 200}… (5000 characters)' is not a probability between 0 and 1"


def test_sampled_values_are_capped_and_only_text_is_escaped() -> None:
    result = {
        "unexpected_count": 3,
        "partial_unexpected_list": ["<b>", 7, None, "y" * 300],
        "partial_unexpected_counts": [{"value": "<b>", "count": 2}, {"value": 1.5, "count": 1}],
    }
    assert shown_result(result, escape=True) == {
        "unexpected_count": 3,
        "partial_unexpected_list": ["&lt;b&gt;", 7, None, f"{'y' * 200}… (300 characters)"],
        "partial_unexpected_counts": [
            {"value": "&lt;b&gt;", "count": 2},
            {"value": 1.5, "count": 1},
        ],
    }
    assert shown_result(result)["partial_unexpected_list"][0] == "<b>"
    assert capped("short") == "short"
