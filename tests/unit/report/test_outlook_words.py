"""The outlook's sentences: said on page one only when beyond noise, material and not
contradicted by the known outcomes; the finality and its check in plain words."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np

from bottomline.case.config import BusinessCase
from bottomline.impact.finality import Finality, ForecastCheck
from bottomline.impact.levers import DecisionCurve, Gain
from bottomline.report.outlook import Outlook
from bottomline.report.outlook_context import (
    baseline_sentence,
    check_sentence,
    curve_sentence,
    finality_sentence,
    known_outcomes_sentence,
    more_to_earn,
)
from tests.helpers import make_case
from tests.unit.report.test_report_rules import figures

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def curve(
    best: Gain, at: int = 90, in_use: float | None = 0.85, value: float = 1e6
) -> DecisionCurve:
    """A curve whose only gain is `best`, at threshold at/100."""
    gains = [Gain(0.0, -1.0, 1.0, 0)] * 101
    gains[at] = best
    return DecisionCurve(*NOVEMBER, 5000, value, np.arange(101) / 100, gains, in_use)


def case(tmp_path: Path, **overrides: object) -> BusinessCase:
    return make_case(tmp_path, verdict={"material_share": 0.02, "material_amount": 10_000},
                     **overrides)  # fmt: skip


def test_a_material_gain_beyond_noise_is_said_with_its_range(tmp_path: Path) -> None:
    gain = Gain(140_000, 90_000, 190_000, 800, known=500, known_amount=100_000)
    before = [curve(Gain(120_000, 60_000, 180_000, 700), at=91)] * 3
    outlook = Outlook(curve(gain), before)
    assert more_to_earn(outlook, case(tmp_path)) == (
        "Raising the threshold from 0.85 to 0.90 would have earned EUR 140K more in November "
        "2026 (800 fewer positive decisions; range EUR 90.0K to EUR 190K); the three months "
        "before agree."
    )
    assert known_outcomes_sentence(outlook.curve, "EUR", "loans") == (  # type: ignore[arg-type]
        "Of that, EUR 100K is already realized, on the 500 of those 800 loans whose outcomes "
        "are known."
    )


def test_earlier_windows_that_disagree_are_named(tmp_path: Path) -> None:
    gain = Gain(140_000, 90_000, 190_000, 800)
    before = [curve(Gain(50_000, 10_000, 90_000, 100), at=at) for at in (95, 86)]
    small = dataclasses.replace(before[0], predictions=100)  # a window the data begins in
    assert "before" not in (more_to_earn(Outlook(curve(gain), [small]), case(tmp_path)) or "")
    said = more_to_earn(Outlook(curve(gain), before), case(tmp_path), dated=False)
    assert said == (
        "Raising the threshold from 0.85 to 0.90 would have earned EUR 140K more (800 fewer "
        "positive decisions; range EUR 90.0K to EUR 190K); in the two months before the best "
        "was 0.95 and 0.86, so watch that it holds."
    )


def test_noise_small_gains_and_contradicting_outcomes_stay_off_page_one(tmp_path: Path) -> None:
    rule = case(tmp_path)
    within_noise = Gain(30_000, -20_000, 80_000, 300)
    too_small = Gain(8_000, 2_000, 14_000, 300)  # under EUR 10K
    contradicted = Gain(140_000, 90_000, 190_000, 800, known=500, known_amount=-40_000)
    for gain in (within_noise, too_small, contradicted):
        assert more_to_earn(Outlook(curve(gain)), rule) is None
    assert curve_sentence(Outlook(curve(within_noise)), rule) == (
        "No threshold would clearly have earned more than the threshold in use (0.85): the best "
        "threshold, 0.90, would have earned EUR 30.0K more, within noise (range -EUR 20.0K to "
        "EUR 80.0K)."
    )
    assert curve_sentence(Outlook(curve(Gain(0.0, 0.0, 0.0, 0), in_use=None)), rule) == (
        "No threshold would have earned more than the decisions made."
    )


def test_the_baseline_in_the_cases_words(tmp_path: Path) -> None:
    named = case(tmp_path, baseline={"rule": "score >= 0.5", "words": "the old 0.5 cut-off"})
    known = Gain(2_100_000, 1_800_000, 2_400_000, 9000, known=9000, known_amount=2_100_000)
    outlook = Outlook(curve(Gain(0.0, 0.0, 0.0, 0)), baseline=known)
    assert baseline_sentence(outlook, named, dated=False) == (
        "The model earned EUR 2.10M more than the old 0.5 cut-off would have (range EUR 1.80M "
        "to EUR 2.40M)."
    )
    pending = dataclasses.replace(outlook, baseline=Gain(-50_000, -90_000, -10_000, 900))
    assert baseline_sentence(pending, named) == (
        "The model's decisions in November 2026 are worth EUR 50.0K less than the old 0.5 "
        "cut-off (range -EUR 90.0K to -EUR 10.0K): worth a look."
    )


def test_finality_in_words() -> None:
    window = figures(start=NOVEMBER[0], end=NOVEMBER[1], realized_value=1_300_000.0,
                     expected_value=2_000_000.0, expected_value_matured=1_250_000.0)  # fmt: skip
    final = Finality(dt.date(2026, 12, 6), 620, 1000.0, 0.9, dt.date(2027, 1, 14))
    assert finality_sentence(final, window, "loans") == (
        "Of the outcomes expected for November, 62% are in; 90% will be by 14 January 2027."
    )
    some_never = dataclasses.replace(final, expected=900.0)  # 100 of 1,000 loans never will
    assert finality_sentence(some_never, window, "loans") == (
        "Of the outcomes expected for November, 69% are in; 90% will be by 14 January 2027 "
        "(about 10% of loans never get one, judging by earlier days)."
    )
    unknown = dataclasses.replace(final, known=0, target_day=None)
    assert finality_sentence(unknown, window, "loans") == (
        "None of the outcomes expected for November are in yet; 90% may take longer than the "
        "365 days of arrivals the forecast learns from."
    )
    done = dataclasses.replace(final, known=999)
    assert finality_sentence(done, window, "loans") is None  # final: nothing to say


def test_the_check_says_how_far_off_the_forecast_was() -> None:
    check = ForecastCheck(dt.date(2026, 11, 6), dt.date(2026, 12, 6), dt.date(2026, 10, 1),
                          dt.date(2026, 10, 31), 4_120.0, 4_030)  # fmt: skip
    assert check_sentence(check) == (
        "Checked against what came: on 6 November 2026, the same forecast expected 4,120 more "
        "outcomes for October 2026 by 6 December 2026; 4,030 arrived (2.2% fewer, close to the "
        "forecast)."
    )
    off = dataclasses.replace(check, arrived=3_000)
    assert "(27.2% fewer, so read the date loosely)" in (check_sentence(off) or "")
    assert check_sentence(dataclasses.replace(check, forecast=7.0, arrived=7)) is None


def test_earlier_windows_are_months_only_for_a_calendar_month() -> None:
    from bottomline.report.outlook_context import _periods

    assert _periods(*NOVEMBER, 3) == "the three months before"
    quarter = (dt.date(2026, 9, 1), dt.date(2026, 11, 30))  # whole months, but three of them
    assert _periods(*quarter, 3) == "the three 91-day periods before"
    assert (
        _periods(dt.date(2026, 11, 7), dt.date(2026, 12, 6), 2) == "the two 30-day periods before"
    )
