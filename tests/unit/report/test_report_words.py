from __future__ import annotations

import dataclasses
import datetime as dt
import math
from types import SimpleNamespace
from typing import Any

import pytest

from bottomline.case.config import VerdictSpec
from bottomline.delivery.mail import subject_line
from bottomline.impact.verdict import judge
from bottomline.measures.figures import Z_95, PeriodFigures
from bottomline.report.formatting import (
    count,
    money,
    money_each,
    percent,
    period,
    period_phrase,
)
from bottomline.report.impact_context import slice_row
from bottomline.report.narrative import pending_sentence, verdict

APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
RULE = VerdictSpec()  # material: 2% of the promise, no floor in money


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (2_094_321, "EUR 2.09M"),
        (20_943_210, "EUR 20.9M"),
        (209_432_100, "EUR 209M"),
        (-812_345, "-EUR 812K"),
        (12_345, "EUR 12.3K"),
        (950, "EUR 950"),
        (999_600, "EUR 1.00M"),
        (1.5e9, "EUR 1.50B"),
        (-0.4, "EUR 0"),
        (float("nan"), "EUR n/a"),
    ],
)
def test_money(amount: float, text: str) -> None:
    assert money(amount, "EUR") == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [(11.337, "EUR 11.34"), (10.7, "EUR 10.70"), (50.0, "EUR 50"), (-0.5, "-EUR 0.50"),
     (0.0, "EUR 0"), (250.4, "EUR 250"), (1_234.5, "EUR 1.23K")],
)  # fmt: skip
def test_an_amount_per_prediction_keeps_its_cents_under_100(amount: float, text: str) -> None:
    assert money_each(amount, "EUR") == text


def test_counts_and_percentages() -> None:
    assert count(14302) == "14,302"
    assert percent(0.012) == "1.2%"
    assert percent(-0.0123, signed=True) == "-1.2%"
    assert percent(0.012, signed=True) == "+1.2%"
    assert percent(0.0001, signed=True) == "0.0%"
    assert percent(0.81, decimals=0) == "81%"
    assert percent(None) == "n/a"


@pytest.mark.parametrize(
    ("start", "end", "heading", "phrase"),
    [
        (*APRIL, "April 2026", "in April 2026"),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 15), "1-15 May 2026", "from 1 to 15 May 2026"),
        (dt.date(2026, 5, 3), dt.date(2026, 5, 3), "3 May 2026", "on 3 May 2026"),
        (
            dt.date(2026, 10, 24),
            dt.date(2026, 11, 22),
            "24 October - 22 November 2026",
            "from 24 October to 22 November 2026",
        ),
        (
            dt.date(2025, 12, 20),
            dt.date(2026, 1, 5),
            "20 December 2025 - 5 January 2026",
            "from 20 December 2025 to 5 January 2026",
        ),
    ],
)
def test_periods(start: dt.date, end: dt.date, heading: str, phrase: str) -> None:
    assert period(start, end) == heading
    assert period_phrase(start, end) == phrase


def april(**changes: Any) -> PeriodFigures:
    figures = PeriodFigures(
        start=APRIL[0],
        end=APRIL[1],
        days_with_data=30,
        predictions=50_000,
        matured=40_000,
        tp=30_000,
        fp=2_000,
        tn=5_000,
        fn=3_000,
        realized_value=2_090_000.0,
        expected_value=2_600_000.0,
        expected_value_matured=2_115_385.0,
        variance_matured=400_000_000.0,
    )
    return dataclasses.replace(figures, **changes)


def test_the_verdict_of_a_model_within_its_promise() -> None:
    # gap = -25,385 = -1.2% of the promise; band half-width 1.96 * 20,000 = 39,199
    assert verdict("Car loan approvals", "EUR", april(), RULE) == (
        "Car loan approvals earned EUR 2.09M in April 2026, 1.2% below what their scores "
        "promised; within the expected range."
    )


def test_the_verdict_when_realized_falls_below_the_band() -> None:
    text = verdict("Car loans", "EUR", april(realized_value=1_500_000.0), RULE)
    assert text.endswith(
        "29.1% below what their scores promised; below the expected range, a shortfall of "
        "EUR 615K that needs a look."
    )


def test_a_gap_beyond_the_range_but_too_small_to_matter_is_not_a_look() -> None:
    # the range's half-width is 39,199; a gap of 1.9% (40,385) is outside it, under 2%
    figures = april(realized_value=2_075_000.0)
    assert judge(figures, RULE) == "immaterial"
    assert verdict("X", "EUR", figures, RULE).endswith(
        "1.9% below what their scores promised; beyond normal variation, but too small to act "
        "on (under 2% of the promise)."
    )
    assert judge(figures, VerdictSpec(material_share=0.01)) == "below"
    assert judge(april(realized_value=1_500_000.0), VerdictSpec(material_amount=1e6)) == (
        "immaterial"
    )
    assert judge(april(realized_value=2_700_000.0), RULE) == "above"
    assert verdict("X", "EUR", april(realized_value=2_700_000.0), RULE).endswith(
        "above the expected range, EUR 585K more than promised, worth a look."
    )
    floor = VerdictSpec(material_amount=50_000)
    assert verdict("X", "EUR", figures, floor).endswith(
        "(under 2% of the promise or under EUR 50.0K)."
    )
    assert judge(april(matured=0), RULE) is None


def test_the_calibrations_variance_widens_the_range() -> None:
    figures = april(realized_value=2_075_000.0, calibration_variance_matured=300_000_000.0)
    # half-width 1.96 * sqrt(4e8 + 3e8) = 51,856: the 40,385 gap is now within
    assert figures.band_half_width == pytest.approx(Z_95 * math.sqrt(7e8))
    assert judge(figures, RULE) == "within"


def test_the_verdict_of_a_loss_and_of_an_exact_promise() -> None:
    assert verdict("X", "USD", april(realized_value=-50_000.0), RULE).startswith("X lost USD 50.0K")
    in_line = verdict("X", "USD", april(realized_value=2_115_000.0), RULE)
    assert "in line with what their scores promised; within the expected range." in in_line


def test_the_verdict_without_outcomes_or_predictions() -> None:
    assert verdict("X", "EUR", april(matured=0), RULE) == (
        "X made 50,000 predictions in April 2026; no outcomes are known yet, and their scores "
        "promise EUR 2.60M."
    )
    assert verdict("X", "EUR", april(predictions=0, matured=0), RULE) == (
        "X made no predictions in April 2026, so there is nothing to report."
    )


def test_the_pending_sentence_carries_its_range() -> None:
    # 1.96 * sqrt(1e8 + 0.44e8) = 23,520 around EUR 484,615
    figures = april(variance_pending=1e8, calibration_variance_pending=0.44e8)
    assert pending_sentence("EUR", figures) == (
        "A further EUR 485K is expected from 10,000 predictions whose outcomes are not known yet "
        "(95% range EUR 461K to EUR 508K)."
    )
    assert pending_sentence("EUR", april(matured=50_000)) is None


def test_plurals() -> None:
    from bottomline.report.formatting import plural

    assert plural(1, "row") == "1 row"
    assert plural(14302, "loan") == "14,302 loans"
    assert plural(2, "source file") == "2 source files"
    assert plural(0, "analysis", "analyses") == "0 analyses"


@pytest.mark.parametrize(
    ("needs_attention", "expected"),
    [
        (False, "Car loans, 1-7 May 2026: EUR 1.2M realized"),
        (True, "[ALERT] Car loans, 1-7 May 2026: EUR 1.2M realized"),
    ],
)
def test_the_subject_says_model_period_value_and_whether_to_look(
    needs_attention: bool, expected: str
) -> None:
    context = {
        "title": "Car loans",
        "period": "1-7 May 2026",
        "has_data": True,
        "tiles": [SimpleNamespace(value="EUR 1.2M")],
        "needs_attention": needs_attention,
    }
    assert subject_line(context) == expected


def test_a_segment_value_the_source_made_huge_is_shown_cut() -> None:
    row = slice_row("Z" * 5000, april(), "EUR", RULE)
    assert row.name == f"{'Z' * 200}… (5000 characters)"
    assert slice_row("north", april(), "EUR", RULE).name == "north"
