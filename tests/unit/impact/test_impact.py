"""Business impact: windows, bridge, versions, fairness, baselines; hand computations and
property tests (windows merged from days equal the raw rows; the bridge adds up)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bottomline.case.config import BusinessCase, FairnessSpec
from bottomline.impact.bridge import Plan, bridge, make_plan, reference_value_per_prediction
from bottomline.impact.fairness import fairness_groups
from bottomline.impact.result import business_impact, whole_model_daily
from bottomline.impact.slices import compare_versions, version_slices
from bottomline.impact.windows import figures_by_window, window_containing, windows_between
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.measures.figures import Z_95, PeriodFigures, period_figures
from bottomline.measures.metrics import (
    MEASURES,
    daily_metrics,
    prediction_measures,
    valued_predictions,
)
from bottomline.measures.regression import REGRESSION_MEASURES
from tests.helpers import make_case

D = dt.date


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> BusinessCase:
    return make_case(tmp_path_factory.mktemp("case"), fairness=["band"])


# ---- windows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "grain", "expected"),
    [
        (D(2026, 5, 13), "day", (D(2026, 5, 13), D(2026, 5, 13))),
        (D(2026, 5, 13), "week", (D(2026, 5, 11), D(2026, 5, 17))),  # ISO: Monday to Sunday
        (D(2027, 1, 1), "week", (D(2026, 12, 28), D(2027, 1, 3))),
        (D(2026, 2, 14), "month", (D(2026, 2, 1), D(2026, 2, 28))),
        (D(2024, 2, 14), "month", (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2026, 11, 23), "quarter", (D(2026, 10, 1), D(2026, 12, 31))),
        (D(2026, 5, 13), "quarter", (D(2026, 4, 1), D(2026, 6, 30))),
    ],
)
def test_window_containing(day: dt.date, grain: Any, expected: tuple[dt.date, dt.date]) -> None:
    assert window_containing(day, grain) == expected


def test_windows_between_are_cut_to_the_range() -> None:
    assert windows_between(D(2026, 5, 13), D(2026, 6, 2), "week") == [
        (D(2026, 5, 13), D(2026, 5, 17)),
        (D(2026, 5, 18), D(2026, 5, 24)),
        (D(2026, 5, 25), D(2026, 5, 31)),
        (D(2026, 6, 1), D(2026, 6, 2)),
    ]
    assert windows_between(D(2026, 3, 30), D(2026, 4, 2), "month") == [
        (D(2026, 3, 30), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 4, 2)),
    ]


# ---- merging daily aggregates equals computing on the raw rows ------------------------------

row_strategy = st.tuples(
    st.integers(0, 20),  # day offset
    st.floats(0, 1),  # score
    st.sampled_from([0, 1]),  # decision
    st.sampled_from([0, 1, None]),  # label (None: pending)
    st.sampled_from(["v1", "v2"]),
    st.sampled_from(["A", "B", None]),  # band
    st.floats(1, 10_000),  # amount
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(row_strategy, min_size=1, max_size=60),
    window=st.tuples(st.integers(0, 20), st.integers(0, 20)),
    grain=st.sampled_from(["day", "week", "month", "quarter"]),
)
def test_any_window_merged_from_days_equals_the_raw_rows(
    case: BusinessCase, rows: list[tuple[Any, ...]], window: tuple[int, int], grain: Any
) -> None:
    start_day = D(2026, 1, 1)
    frame = pl.DataFrame(
        rows,
        orient="row",
        schema={
            "offset": pl.Int64,
            "score": pl.Float64,
            "decision": pl.Int8,
            "label": pl.Int8,
            "model_version": pl.String,
            "band": pl.String,
            "amount": pl.Float64,
        },
    ).with_columns((pl.lit(start_day) + pl.duration(days=pl.col("offset"))).alias("day"))
    metrics = daily_metrics(frame, case, Calibrator(pooled=IDENTITY))
    first, last = sorted(window)
    start, end = start_day + dt.timedelta(days=first), start_day + dt.timedelta(days=last)
    merged = period_figures(whole_model_daily(metrics), start, end)
    raw = prediction_measures(valued_predictions(frame, case, Calibrator(pooled=IDENTITY)))
    direct = raw.filter(pl.col("day").is_between(start, end)).select(pl.col(MEASURES).sum())
    for measure in [m for m in MEASURES if m not in REGRESSION_MEASURES]:  # a classifier's
        assert getattr(merged, measure) == pytest.approx(direct[measure][0], rel=1e-9, abs=1e-6)
    by_grain = figures_by_window(whole_model_daily(metrics), start, end, grain)
    assert sum(f.predictions for f in by_grain) == merged.predictions
    assert sum(f.realized_value for f in by_grain) == pytest.approx(merged.realized_value, abs=1e-6)


# ---- the bridge ------------------------------------------------------------------------------


def figures(**changes: Any) -> PeriodFigures:
    base = PeriodFigures(
        start=D(2026, 5, 1),
        end=D(2026, 5, 10),
        days_with_data=10,
        predictions=1000,
        matured=400,
        tp=300,
        fp=40,
        tn=30,
        fn=30,
        realized_value=2500.0,
        expected_value=7000.0,
        expected_value_matured=3000.0,
        variance_matured=10_000.0,
    )
    return dataclasses.replace(base, **changes)


def test_the_bridge_by_hand() -> None:
    # N_plan = 90/day * 10 days * 400/1000 matured = 360; pi = 10
    result = bridge(
        figures(), Plan(value_per_prediction=10.0, predictions_per_day=90.0, source="test")
    )
    assert result.planned_predictions == pytest.approx(360)
    parts = (result.plan, result.volume, result.mix, result.performance, result.realized)
    assert parts == pytest.approx((3600, 400, -1000, -500, 2500))
    assert result.largest_step[0] == "Mix"
    assert result.largest_step[1] == pytest.approx(-1000)


def test_without_a_planned_volume_there_is_no_volume_effect() -> None:
    result = bridge(
        figures(), Plan(value_per_prediction=10.0, predictions_per_day=None, source="test")
    )
    assert (result.plan, result.volume) == pytest.approx((4000, 0.0))


@settings(max_examples=200, deadline=None)
@given(
    predictions=st.integers(1, 10**7),
    share=st.floats(0, 1),
    realized=st.floats(-1e9, 1e9),
    expected=st.floats(-1e9, 1e9),
    value=st.floats(-1e4, 1e4),
    per_day=st.one_of(st.none(), st.floats(1, 1e6)),
    days=st.integers(1, 400),
)
def test_the_bridge_always_adds_up_to_realized_value(
    predictions: int,
    share: float,
    realized: float,
    expected: float,
    value: float,
    per_day: float | None,
    days: int,
) -> None:
    window = figures(
        predictions=predictions,
        matured=round(predictions * share),
        realized_value=realized,
        expected_value_matured=expected,
        end=D(2026, 5, 1) + dt.timedelta(days=days - 1),
    )
    parts = bridge(window, Plan(value, per_day, "test"))
    total = parts.plan + parts.volume + parts.mix + parts.performance
    scale = max(1.0, abs(parts.plan), abs(parts.volume), abs(parts.mix), abs(realized))
    assert abs(total - realized) <= 1e-9 * scale


def test_the_plan_takes_the_case_first_then_the_reference(tmp_path: Path) -> None:
    case = make_case(tmp_path, plan={"predictions_per_day": 2000})
    plan = make_plan(case, reference_value=45.0, reference_daily_volume=None)
    assert plan == Plan(
        45.0,
        2000.0,
        "value per prediction from the reference; daily volume from the business case",
        value_from="the reference",
    )
    assert not plan.is_a_budget
    assert make_plan(make_case(tmp_path), None, None) is None
    bare = make_plan(make_case(tmp_path), 12.0, None)
    assert bare is not None
    assert bare.source == "value per prediction from the reference; no planned volume"


def test_value_per_prediction_on_the_reference(case: BusinessCase) -> None:
    # TP = 0.1*amount, FP = -0.5*amount, TN = 0, FN = -10 (tests.helpers)
    reference = pl.DataFrame(
        {
            "score": [0.9, 0.8, 0.1, 0.2],
            "decision": [1, 1, 0, 0],
            "label": [1, 0, 1, 0],
            "amount": [100.0, 100.0, 50.0, 50.0],
        }
    )
    # rows realize 10, -50, -10, 0: mean -12.5
    assert reference_value_per_prediction(reference, case) == pytest.approx(-12.5)
    assert reference_value_per_prediction(reference.drop("amount"), case) is None


# ---- versions, fairness, baselines -----------------------------------------------------------


def metrics_rows(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """metrics_daily rows for one day; measures not given are 0."""
    filled = [
        {
            "day": D(2026, 5, 1),
            "segment": "_all",
            "segment_value": "_all",
            "model_version": "_all",
            **dict.fromkeys(MEASURES, 0),
            **row,
        }
        for row in rows
    ]
    return pl.DataFrame(filled).with_columns(pl.col(MEASURES).cast(pl.Float64))


def test_champion_and_challenger_by_hand() -> None:
    # v1 realizes 10, 12, 8, 10 (mean 10, variance 8/3); v2 realizes 20, 22, 18, 20 (mean 20)
    metrics = metrics_rows(
        [
            {
                "model_version": "v1",
                "predictions": 4,
                "matured": 4,
                "realized_value": 40.0,
                "realized_value_sq": 408.0,
            },
            {
                "model_version": "v2",
                "predictions": 4,
                "matured": 4,
                "realized_value": 80.0,
                "realized_value_sq": 1608.0,
            },
        ]
    )
    versions = version_slices(metrics, D(2026, 5, 1), D(2026, 5, 1))
    comparison = compare_versions(versions)
    assert comparison is not None
    assert (comparison.champion.value, comparison.challenger.value) == ("v1", "v2")
    assert comparison.difference == pytest.approx(10.0)
    assert comparison.standard_error == pytest.approx((8 / 3 / 4 * 2) ** 0.5)
    assert comparison.z == pytest.approx(8.660, abs=1e-3)
    assert comparison.beyond_noise
    named = compare_versions(versions, champion="v2")
    assert named is not None
    assert named.difference == pytest.approx(-10.0)


def test_a_difference_within_noise() -> None:
    # v1 realizes 0, 20, 0, 20 (mean 10, variance 133.3); v2 realizes 10, 14, 6, 10 (mean 10)
    metrics = metrics_rows(
        [
            {
                "model_version": "v1",
                "predictions": 5,
                "matured": 4,
                "realized_value": 40.0,
                "realized_value_sq": 800.0,
            },
            {
                "model_version": "v2",
                "predictions": 4,
                "matured": 4,
                "realized_value": 40.0,
                "realized_value_sq": 432.0,
            },
        ]
    )
    comparison = compare_versions(version_slices(metrics, D(2026, 5, 1), D(2026, 5, 1)))
    assert comparison is not None
    assert comparison.z == pytest.approx(0.0)
    assert not comparison.beyond_noise


def band_rows(*groups: tuple[str, int, int, int, int]) -> pl.DataFrame:
    """(group, predictions, positive decisions, tp, fn) per group of `band`."""
    return metrics_rows(
        [
            {
                "segment": "band",
                "segment_value": group,
                "model_version": "v1",
                "predictions": predictions,
                "decided_positive": positive,
                "tp": tp,
                "fn": fn,
            }
            for group, predictions, positive, tp, fn in groups
        ]
    )


def test_fairness_ratios_to_the_largest_group_with_their_intervals() -> None:
    metrics = band_rows(("A", 1_000, 500, 400, 100), ("B", 1_000, 300, 300, 100))
    groups = {g.group: g for g in fairness_groups(metrics, "band", D(2026, 5, 1), D(2026, 5, 1))}
    a, b = groups["A"], groups["B"]
    assert a.is_reference  # equal sizes: the first, by value
    assert b.positive_rate.rate == pytest.approx(0.3)
    assert b.positive_rate.ratio == pytest.approx(0.6)
    # Katz: log(0.6) +- 1.96 * sqrt(1/300 - 1/1000 + 1/500 - 1/1000)
    spread = Z_95 * math.sqrt(1 / 300 - 1 / 1000 + 1 / 500 - 1 / 1000)
    assert b.positive_rate.low == pytest.approx(0.6 * math.exp(-spread))
    assert b.positive_rate.high == pytest.approx(0.6 * math.exp(spread))
    assert b.true_positive_rate.ratio == pytest.approx(0.75 / 0.8)
    assert b.flagged  # the whole positive-rate interval is below 0.8
    assert not a.flagged


def test_a_handful_of_rows_neither_sets_the_bar_nor_is_flagged() -> None:
    """The issue's real case: a 13-row group with 62% positive decisions and every positive
    outcome recognised set "best", so the 14,418-row majority showed 88% "vs best"; a 4-row
    group was flagged below 80%."""
    metrics = band_rows(
        ("majority", 14_418, 7_930, 5_200, 900),
        ("small", 13, 8, 6, 0),
        ("tiny", 4, 1, 1, 1),
        ("minority", 3_565, 1_640, 1_150, 260),
    )
    groups = {g.group: g for g in fairness_groups(metrics, "band", D(2026, 5, 1), D(2026, 5, 1))}
    assert groups["majority"].is_reference
    assert groups["majority"].positive_rate.ratio == pytest.approx(1.0)
    for few in ("small", "tiny"):
        assert groups[few].too_few
        assert not groups[few].flagged
    minority = groups["minority"].positive_rate  # 46% against 55%: 0.84, interval above 0.8
    assert minority.ratio == pytest.approx((1_640 / 3_565) / (7_930 / 14_418))
    assert minority.judged
    assert not groups["minority"].flagged
    named = fairness_groups(
        metrics,
        "band",
        D(2026, 5, 1),
        D(2026, 5, 1),
        FairnessSpec(reference_groups={"band": "minority"}, min_group_size=5),
    )
    assert [g.group for g in named if g.is_reference] == ["minority"]
    assert not next(g for g in named if g.group == "small").too_few  # 13 >= 5


def test_baselines_by_hand(tmp_path: Path) -> None:
    """The six rows of test_metrics: matured rows 1, 2, 3 and 6."""
    from tests.unit.measures.test_metrics import six_rows

    flagged = make_case(
        tmp_path,
        outcomes={
            "source": {"path": "o.csv"},
            "id": "id",
            "label": "y",
            "observed_for_every_decision": True,
        },
    )
    metrics = daily_metrics(six_rows(), flagged, Calibrator(pooled=IDENTITY)).with_columns(
        pl.col(MEASURES).cast(pl.Float64)
    )
    impact = business_impact(metrics, flagged, None, D(2026, 5, 1), D(2026, 5, 2))
    # all positive: 10 - 100 + 5 - 5 = -90; all negative: -10 + 0 - 10 + 0 = -20
    baselines = impact.baselines
    assert baselines is not None
    assert (baselines.model, baselines.all_positive, baselines.all_negative) == pytest.approx(
        (-105, -90, -20)
    )
    assert baselines.model_adds == pytest.approx(-85)
    assert impact.bridge is None
    assert (
        business_impact(
            metrics, make_case(tmp_path / "plain"), None, D(2026, 5, 1), D(2026, 5, 2)
        ).baselines
        is None
    )


def test_bands_sort_in_their_natural_order_and_other_values_by_size() -> None:
    """Before: salary bands sorted by size (30-50k, <30k, 50-80k, 80k+)."""
    from bottomline.impact.slices import band_order

    def natural(value: str) -> tuple[float, int]:
        return band_order(value) or (0.0, 0)

    assert sorted(["80k+", "<30k", "50-80k", "30-50k"], key=natural) == [
        "<30k", "30-50k", "50-80k", "80k+",
    ]  # fmt: skip
    assert sorted(["over 65", "35-50", "under 25", "25-35"], key=natural) == [
        "under 25", "25-35", "35-50", "over 65",
    ]  # fmt: skip
    assert band_order("north") is None
