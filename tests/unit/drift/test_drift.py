"""Drift from profiles: accuracy against scipy on the raw rows, merging, grading, groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import scipy.stats

from bottomline.drift.bins import NULL_BIN, QUANTILE_LEVELS, ColumnBins, build_bins
from bottomline.drift.groups import drift_groups
from bottomline.drift.kolmogorov import ks_p_value
from bottomline.drift.profiles import profile
from bottomline.drift.stats import (
    BinCounts,
    column_statistics,
    jensen_shannon,
    pearson_chi_square,
)
from bottomline.drift.window import grade, window_drift
from tests.helpers import make_case

RNG = np.random.default_rng(20261123)
DAY = dt.date(2026, 5, 1)


def numeric_bins(reference: np.ndarray) -> ColumnBins:
    present = reference[~np.isnan(reference)]
    levels = np.quantile(present, QUANTILE_LEVELS)
    return ColumnBins(
        "x",
        "numeric",
        np.unique(levels),
        np.unique(levels[100:1000:100]),
        float(present.mean()),
        float(present.std()),
    )


def counts(bins: ColumnBins, values: list[object] | np.ndarray, days: int = 1) -> BinCounts:
    """Profile the values through the real path, spread over `days` days, then sum."""
    series = pl.Series("x", values, strict=False)
    rows = pl.DataFrame(
        {
            "x": series,
            "day": [DAY + dt.timedelta(days=i % days) for i in range(len(series))],
            "matured": [1] * len(series),
            "realized_value": [0.0] * len(series),
        }
    )
    return BinCounts.from_frame(profile(rows, [bins]))


def statistics(bins: ColumnBins, reference: object, window: object) -> dict[str, float]:
    result = column_statistics(bins, counts(bins, reference), counts(bins, window))  # type: ignore[arg-type]
    return {s.method: s.statistic for s in result}


SHAPES = {
    "skewed": (RNG.lognormal(0, 1, 40_000), RNG.lognormal(0.15, 1.1, 9_000)),
    "heavy-tailed": (RNG.standard_t(2, 40_000), 1.2 * RNG.standard_t(2, 9_000)),
    "discrete with ties": (
        RNG.integers(0, 25, 40_000).astype(float),
        RNG.integers(0, 28, 9_000).astype(float),
    ),
    "bimodal": (
        np.concatenate([RNG.normal(-2, 1, 20_000), RNG.normal(3, 0.5, 20_000)]),
        np.concatenate([RNG.normal(-2, 1, 3_000), RNG.normal(3.3, 0.5, 6_000)]),
    ),
    "no drift": (RNG.normal(0, 1, 40_000), RNG.normal(0, 1, 9_000)),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_ks_from_profiles_matches_scipy_on_raw_rows(shape: str) -> None:
    reference, window = SHAPES[shape]
    bins = numeric_bins(reference)
    found = statistics(bins, reference, window)
    exact = scipy.stats.ks_2samp(reference, window, method="asymp")
    assert abs(found["ks"] - exact.statistic) < 0.001
    assert found["wasserstein"] >= 0


@pytest.mark.parametrize("n", [3, 140, 141, 900, 20_000, 100_001, 5_000_000])
def test_ks_p_value_is_scipys_kstwo_for_every_sample_size(n: int) -> None:
    statistics = [0.0, 1e-5, *np.geomspace(1e-4, 0.05, 120), *np.linspace(0.05, 1.0, 96)]
    for d in statistics:
        assert ks_p_value(float(d), n) == pytest.approx(scipy.stats.kstwo.sf(d, n), abs=1e-5)


def test_nulls_are_left_out_of_ks_and_counted_as_missing_rate() -> None:
    reference = RNG.normal(0, 1, 30_000)
    window = RNG.normal(0.3, 1, 8_000)
    reference_with_nulls = np.where(RNG.uniform(size=30_000) < 0.02, np.nan, reference)
    window_with_nulls = np.where(RNG.uniform(size=8_000) < 0.10, np.nan, window)
    bins = numeric_bins(reference_with_nulls)
    found = statistics(bins, reference_with_nulls, window_with_nulls)
    exact = scipy.stats.ks_2samp(
        reference_with_nulls[~np.isnan(reference_with_nulls)],
        window_with_nulls[~np.isnan(window_with_nulls)],
    )
    assert abs(found["ks"] - exact.statistic) < 0.001
    expected_change = np.isnan(window_with_nulls).mean() - np.isnan(reference_with_nulls).mean()
    assert found["missing_rate_change"] == pytest.approx(expected_change)


def test_chi_square_on_many_categories_matches_scipy_on_raw_rows() -> None:
    categories = [f"c{i:03d}" for i in range(200)]
    weights = 1 / np.arange(1, 201)
    reference = RNG.choice(categories, 50_000, p=weights / weights.sum())
    shifted = weights * np.linspace(1.3, 0.7, 200)
    window = RNG.choice(categories, 8_000, p=shifted / shifted.sum()).astype(object)
    window[:40] = "never-seen"  # unseen categories are counted
    window[40:80] = None  # missing values are not a category
    bins = ColumnBins("x", "categorical", np.array([]), np.array([]), None, None)
    result = {
        s.method: s
        for s in column_statistics(bins, counts(bins, list(reference)), counts(bins, list(window)))
    }
    table = pl.DataFrame(
        {"side": ["r"] * 50_000 + ["w"] * 8_000, "x": list(reference) + list(window)}
    ).drop_nulls()
    crosstab = table.pivot(on="side", index="x", values="x", aggregate_function="len").fill_null(0)
    expected = scipy.stats.chi2_contingency(
        crosstab.select("r", "w").to_numpy().T, correction=False
    )
    assert result["chi2"].statistic == pytest.approx(expected.statistic, rel=0.001)
    assert result["chi2"].p_value == pytest.approx(expected.pvalue, rel=0.001, abs=1e-300)
    assert result["missing_rate_change"].statistic == pytest.approx(40 / 8_000)


@pytest.mark.parametrize("seed", range(5))
def test_js_distance_and_chi_square_agree_with_scipy(seed: int) -> None:
    import scipy.spatial.distance

    rng = np.random.default_rng(seed)
    table = rng.integers(0, 50, size=(2, 3 + seed * 7)).astype(float)
    table[:, 1] = [0, 12]  # a category only the window has
    table[:, 2] = 0  # and one that neither has
    p, q = table[0] / table[0].sum(), table[1] / table[1].sum()
    assert jensen_shannon(p, q) == pytest.approx(
        scipy.spatial.distance.jensenshannon(p, q, base=2), abs=1e-12
    )
    expected = scipy.stats.chi2_contingency(table[:, table.sum(axis=0) > 0], correction=False)
    statistic, p_value = pearson_chi_square(table)
    assert statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
    assert pearson_chi_square(np.array([[5.0], [7.0]])) == (0.0, 1.0)
    assert jensen_shannon(p, p) == 0.0
    assert jensen_shannon(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(1.0)


def test_categories_are_named_by_value_and_summed_per_day() -> None:
    """Grouped by value, then named: a decision's 0/1 and missing values, and floats whose
    names differ (-0.0 and 0.0) even where grouping by value would merge them."""
    rows = pl.DataFrame(
        {
            "day": [DAY, DAY, DAY, DAY + dt.timedelta(days=1), DAY],
            "decision": pl.Series([1, 0, 1, 1, None], dtype=pl.Int8),
            "rate": [0.0, -0.0, 0.0, 1.5, None],
            "matured": [1, 1, 0, 1, 1],
            "realized_value": [10.0, -2.0, 0.0, 4.0, 1.0],
        }
    )
    columns = [
        ColumnBins(c, "categorical", np.array([]), np.array([]), None, None)
        for c in ("decision", "rate")
    ]
    result = profile(rows, columns).sort("column_name", "day", "bin")
    assert result.select(
        "column_name", "day", "bin", "count", "matured", "realized_value"
    ).rows() == [
        ("decision", DAY, "0", 1, 1, -2.0),
        ("decision", DAY, "1", 2, 1, 10.0),
        ("decision", DAY, NULL_BIN, 1, 1, 1.0),
        ("decision", DAY + dt.timedelta(days=1), "1", 1, 1, 4.0),
        ("rate", DAY, "-0.0", 1, 1, -2.0),
        ("rate", DAY, "0.0", 2, 1, 10.0),
        ("rate", DAY, NULL_BIN, 1, 1, 1.0),
        ("rate", DAY + dt.timedelta(days=1), "1.5", 1, 1, 4.0),
    ]
    assert result["value_sum"].to_list() == [0.0] * 8


def test_a_window_profile_is_the_sum_of_its_days() -> None:
    reference, window = SHAPES["skewed"]
    bins = numeric_bins(reference)
    by_day, at_once = counts(bins, window, days=30), counts(bins, window, days=1)
    assert by_day.counts == at_once.counts
    assert by_day.value_sums == pytest.approx(at_once.value_sums)


def test_bins_hold_values_up_to_their_edge() -> None:
    bins = ColumnBins("x", "numeric", np.array([1.0, 2.0, 3.0]), np.array([2.0]), 2.0, 1.0)
    assert bins.bin_of(pl.Series([0.5, 1.0, 1.5, 2.0, 3.0, 3.5, None, float("nan")])).to_list() == [
        "0",
        "0",
        "1",
        "1",
        "2",
        "3",
        NULL_BIN,
        NULL_BIN,
    ]


def test_psi_and_js_are_zero_for_identical_distributions() -> None:
    values = RNG.normal(0, 1, 10_000)
    found = statistics(numeric_bins(values), values, values)
    assert found["psi"] == pytest.approx(0.0, abs=1e-12)
    assert found["js"] == pytest.approx(0.0, abs=1e-6)
    assert found["ks"] == pytest.approx(0.0, abs=1e-12)


def test_grading_by_effect_size_with_per_column_overrides(tmp_path: Path) -> None:
    assert grade(0.05, (0.1, 0.25)) == "none"
    assert grade(0.1, (0.1, 0.25)) == "warning"
    assert grade(-0.3, (0.1, 0.25)) == "alert"
    assert grade(5.0, None) == "none"
    case = make_case(
        tmp_path,
        drift={"psi": [0.2, 0.4], "ks": [0.05, 0.1], "features": {"amount": {"psi": [0.01, 0.02]}}},
    )
    assert case.drift.thresholds("band", "psi") == (0.2, 0.4)
    assert case.drift.thresholds("amount", "psi") == (0.01, 0.02)
    assert case.drift.thresholds("amount", "ks") == (0.05, 0.1)
    assert case.drift.thresholds("amount", "missing_rate_change") == (0.05, 0.2)
    assert case.drift.thresholds("amount", "js") is None


def test_window_drift_ranks_the_worst_column_first(tmp_path: Path) -> None:
    case = make_case(
        tmp_path,
        predictions={
            "source": {"path": "p.csv"},
            "id": "id",
            "timestamp": "ts",
            "score": "p",
            "features": ["amount", "band"],
            "categorical": ["band"],
        },
    )
    reference = pl.DataFrame(
        {
            "amount": RNG.normal(100, 10, 5_000),
            "band": RNG.choice(["A", "B"], 5_000),
            "score": RNG.uniform(size=5_000),
            "decision": RNG.integers(0, 2, 5_000),
            "label": RNG.integers(0, 2, 5_000),
        }
    )
    bins = build_bins(reference, case)
    assert [b.column for b in bins] == ["amount", "band", "score", "decision", "label"]
    window = reference.head(2_000).with_columns(pl.col("amount") + 15)  # amount moves a lot

    def frame(rows: pl.DataFrame) -> pl.DataFrame:
        extra = [
            pl.lit(DAY).alias("day"),
            pl.lit(1).alias("matured"),
            pl.lit(0.0).alias("realized_value"),
        ]
        return profile(rows.with_columns(extra), bins)

    drift = window_drift(case, bins, frame(reference), frame(window))
    assert drift[0].column == "amount"
    assert drift[0].severity == "alert"
    assert {d.column: d.severity for d in drift[1:]} == {
        "band": "none",
        "score": "none",
        "decision": "none",
        "label": "none",
    }


def test_drift_groups_say_where_value_moved() -> None:
    bins = ColumnBins("x", "numeric", np.array([1.0, 2.0, 3.0]), np.array([2.0]), 2.0, 1.0)
    # reference: half at or below 2, half above; window: a quarter below, three quarters above
    reference = pl.DataFrame(
        {
            "bin": ["0", "1", "2", "3"],
            "count": [25, 25, 25, 25],
            "matured": [25, 25, 25, 25],
            "realized_value": [250.0, 250.0, -50.0, -50.0],
        }
    )
    window = pl.DataFrame(
        {
            "bin": ["1", "2", "3"],
            "count": [20, 40, 20],
            "matured": [10, 20, 10],
            "realized_value": [100.0, -40.0, -20.0],
        }
    )
    result = drift_groups(bins, reference, window)
    assert [(g.label, g.reference_share, g.window_share) for g in result.groups] == [
        ("up to 2", 0.5, 0.25),
        ("above 2", 0.5, 0.75),
    ]
    assert [g.value_per_prediction for g in result.groups] == [10.0, -2.0]
    # 40 matured * ((0.25 - 0.5) * 10 + (0.75 - 0.5) * -2) = 40 * -3 = -120
    assert result.shift_value == pytest.approx(-120.0)
