"""Page-one rules and helpers of the report, on literal figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from bottomline.case.config import VerdictSpec
from bottomline.case.errors import ConfigError
from bottomline.drift.bins import ColumnBins
from bottomline.drift.groups import DriftGroup, DriftGroups
from bottomline.drift.stats import Statistic
from bottomline.drift.window import ColumnDrift, GradedStatistic
from bottomline.impact.bridge import Bridge
from bottomline.impact.slices import Slice
from bottomline.measures.figures import PeriodFigures
from bottomline.report.narrative import (
    Units,
    largest_bridge_step,
    recent_sentence,
    segment_losing_most,
    worst_drift,
)
from bottomline.report.quality_context import maturity_by_age
from bottomline.report.render import keep_money_whole
from bottomline.report.score_bands import score_shares
from tests.helpers import make_case

UNITS = Units("application", "applications")
D = dt.date


def figures(**changes: object) -> PeriodFigures:
    base = PeriodFigures(
        start=D(2026, 5, 1),
        end=D(2026, 5, 31),
        days_with_data=31,
        predictions=1000,
        matured=800,
        tp=600,
        fp=100,
        tn=50,
        fn=50,
        realized_value=50_000.0,
        expected_value=70_000.0,
        expected_value_matured=60_000.0,
        variance_matured=1e6,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_long_window_says_when_its_last_30_days_alone_need_a_look() -> None:
    """A quarter whose average is within range, but whose last 30 days fell 20% short: page
    one says so in one sentence; not when the quarter says it already, nor for a dip within
    the last month's own range."""
    quarter = figures(start=D(2026, 3, 3), end=D(2026, 5, 31), expected_value_matured=50_500.0)
    last_month = figures(
        start=D(2026, 5, 2), realized_value=16_000.0, expected_value_matured=20_000.0
    )
    assert recent_sentence(last_month, quarter, "EUR", VerdictSpec()) == (
        "The last 30 days alone (2-31 May 2026) came in 20.0% below what their scores "
        "promised: below the expected range, a shortfall of EUR 4.00K that needs a look."
    )
    assert recent_sentence(last_month, figures(), "EUR", VerdictSpec()) is None  # said already
    steady = dataclasses.replace(last_month, realized_value=19_999.0)
    assert recent_sentence(steady, quarter, "EUR", VerdictSpec()) is None
    assert recent_sentence(None, quarter, "EUR", VerdictSpec()) is None


def test_the_largest_bridge_step_in_words() -> None:
    bridge = Bridge(
        planned_predictions=900,
        predictions=800,
        plan=90_000.0,
        volume=-10_000.0,
        mix=-20_000.0,
        performance=-10_000.0,
        realized=50_000.0,
    )
    assert largest_bridge_step(bridge, "EUR", UNITS) == (
        "Against a plan of EUR 90.0K, the biggest mover was the mix: by their scores, the "
        "applications were worth less each than planned (-EUR 20.0K)."
    )
    assert largest_bridge_step(bridge, "EUR", UNITS, budget=False) == (
        "Against a plan of EUR 90.0K (its value per application from the reference, not a "
        "budget), the biggest mover was the mix: by their scores, the applications were worth "
        "less each than planned (-EUR 20.0K)."
    )
    gain = dataclasses.replace(bridge, performance=30_000.0)
    assert largest_bridge_step(gain, "EUR", UNITS) == (
        "Against a plan of EUR 90.0K, the biggest mover was performance: outcomes came in better "
        "than the scores promised (+EUR 30.0K)."
    )
    assert largest_bridge_step(None, "EUR", UNITS) is None


def test_the_worst_drifted_input_in_words(tmp_path: Path) -> None:
    """In the case's words: its label for the column, its values in their format, no PSI
    (before: "dti moved most (PSI 0.31): the share ... with dti above 0.3")."""
    drift = [
        ColumnDrift("amount", "numeric", 1000, [GradedStatistic(Statistic("psi", 0.31), "alert")])
    ]
    where = DriftGroups(
        "amount",
        [
            DriftGroup("up to 6.068e+04", 0.9, 0.7, 300.0, (None, 60_680.4)),
            DriftGroup("above 6.068e+04", 0.1, 0.3, -50.0, (60_680.4, None)),
        ],
        -1000.0,
    )
    plain = make_case(tmp_path)
    assert worst_drift(where, drift, plain, UNITS) == (
        "Amount moved most: the share of applications with Amount above 60,680 went from 10% "
        "to 30%, losing EUR 50 per application."
    )
    labelled = make_case(tmp_path, labels={"amount": "Loan amount"}, formats={"amount": "money"})
    assert worst_drift(where, drift, labelled, UNITS) == (
        "Loan amount moved most: the share of applications with Loan amount above EUR 60.7K "
        "went from 10% to 30%, losing EUR 50 per application."
    )
    bands = DriftGroups("band", [DriftGroup("<30k", 0.2, 0.4, 10.0)], 5.0)
    assert worst_drift(bands, drift, plain, UNITS) == (
        "Band moved most: the share of applications in \u201c<30k\u201d went from 20% to 40%, "
        "earning EUR 10 per application."
    )
    assert worst_drift(None, [], plain, UNITS) == (
        "No input moved beyond its thresholds since the reference."
    )


def test_labels_and_formats_name_columns_the_case_keeps(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="labels: 'nope' is not a column this case keeps"):
        make_case(tmp_path, labels={"nope": "Nope"})
    with pytest.raises(ConfigError, match="formats"):
        make_case(tmp_path, formats={"amount": "scientific"})


def test_the_segment_losing_most() -> None:
    slices = [
        Slice("band", "A", figures(realized_value=55_000.0)),
        Slice("band", "B", figures(realized_value=40_000.0)),
        Slice("region", "north", figures(realized_value=65_000.0)),
    ]
    # B: 40,000 against 60,000 +- 1,960: beyond its range, and by a third of the promise
    assert segment_losing_most(slices, "EUR", label=str.title) == (
        "Band \u201cB\u201d fell EUR 20.0K short of its promise (-33.3%), below its expected "
        "range: worth a look."
    )
    near = [Slice("band", "C", figures(realized_value=59_000.0))]
    assert segment_losing_most(near, "EUR") == (
        "band \u201cC\u201d fell EUR 1.00K short of its promise (-1.7%), within normal "
        "variation for its size."
    )
    assert segment_losing_most(slices[2:], "EUR") == (
        "Every segment with known outcomes met or beat what its scores promised."
    )


def test_amounts_stay_whole_and_text_is_escaped() -> None:
    html = keep_money_whole("Loans <b> & co lost -EUR 1.20M, not EUR 950.")
    assert str(html) == (
        'Loans &lt;b&gt; &amp; co lost <span class="amount">-EUR 1.20M</span>, '
        'not <span class="amount">EUR 950</span>.'
    )


def test_maturity_by_age_of_the_predictions() -> None:
    series = pl.DataFrame(
        {
            "day": [D(2026, 5, 31), D(2026, 5, 25), D(2026, 5, 10)],
            "predictions": [100, 200, 50],
            "matured": [10, 100, 50],
        }
    )
    assert maturity_by_age(series, D(2026, 5, 31)) == [
        {"age": "under a week", "predictions": "300", "matured": "37%"},
        {"age": "2-4 weeks", "predictions": "50", "matured": "100%"},
    ]


def test_score_shares_per_equal_width_band() -> None:
    bins = ColumnBins("score", "numeric", np.array([0.1, 0.5, 0.97]), np.array([0.5]), 0.5, 0.2)
    profile = pl.DataFrame({"bin": ["0", "1", "2", "3", "_null"], "count": [10, 20, 30, 40, 5]})
    shares = score_shares(bins, profile)
    assert shares.sum() == 1.0
    # bands are (0.05 k, 0.05 (k + 1)]: upper edge 0.1 -> band 1, 0.5 -> 9, 0.97 and 1.0 -> 19
    assert shares[1] == 0.1
    assert shares[9] == 0.2
    assert shares[19] == 0.7
