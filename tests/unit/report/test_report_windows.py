"""Issue 18: figures and charts fit any window (1, 7, 30, 90, 365 days) and the model's life."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from bottomline.impact.bridge import Plan, bridge
from bottomline.impact.windows import ModelLife
from bottomline.measures.figures import daily_series
from bottomline.measures.metrics import MEASURES
from bottomline.report.charts import cumulative_value, value_over_time
from bottomline.report.narrative import life_sentence
from bottomline.report.render import proportional_signs
from tests.unit.report.test_report_words import april

LIFE = ModelLife(dt.date(2026, 8, 4), dt.date(2026, 11, 20))
D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "inside", "before", "after"),
    [
        (D(2026, 7, 1), D(2026, 9, 30), 58, 34, 0),
        (D(2026, 11, 1), D(2026, 11, 30), 20, 0, 10),
        (D(2026, 9, 1), D(2026, 9, 30), 30, 0, 0),
        (D(2026, 1, 1), D(2026, 1, 31), 0, 31, 0),
        (D(2026, 12, 1), D(2026, 12, 1), 0, 0, 1),
        (D(2026, 8, 4), D(2026, 8, 4), 1, 0, 0),
    ],
)
def test_days_of_a_window_inside_and_outside_the_models_life(
    start: dt.date, end: dt.date, inside: int, before: int, after: int
) -> None:
    assert (LIFE.days_in(start, end), LIFE.days_before(start, end)) == (inside, before)
    assert LIFE.days_after(start, end) == after


def test_the_life_sentence_says_where_the_data_starts_and_ends() -> None:
    assert life_sentence(LIFE, D(2026, 7, 1), D(2026, 9, 30)) == (
        "The model's data starts on 4 August 2026; the 34 days of this window before it are "
        "left out of every figure, the plan included."
    )
    assert life_sentence(LIFE, D(2026, 11, 20), D(2026, 11, 21)) == (
        "The model's data ends on 20 November 2026; the 1 day of this window after it is "
        "left out of every figure, the plan included."
    )
    assert life_sentence(LIFE, D(2026, 9, 1), D(2026, 9, 30)) is None
    assert life_sentence(None, D(2026, 9, 1), D(2026, 9, 30)) is None
    assert "outside this window" in str(life_sentence(LIFE, D(2026, 1, 1), D(2026, 1, 31)))


def test_the_plan_counts_only_the_days_of_the_models_life() -> None:
    """30 matured predictions on 3 days of a 10-day window, planned 10 a day: no volume
    effect once the 7 days before the data are left out."""
    figures = april(
        start=D(2026, 7, 29), end=D(2026, 8, 7), predictions=30, matured=30,
        realized_value=300.0, expected_value=300.0, expected_value_matured=300.0,
    )  # fmt: skip
    plan = Plan(value_per_prediction=10.0, predictions_per_day=10.0, source="test")
    assert bridge(figures, plan).volume == pytest.approx(-700.0)
    assert bridge(figures, plan, days_in_life=3).volume == pytest.approx(0.0)


def series_of(days: int) -> pl.DataFrame:
    start = D(2026, 12, 2) - dt.timedelta(days=days - 1)
    daily = pl.DataFrame(
        {"day": pl.date_range(start, D(2026, 12, 2), "1d", eager=True)}
    ).with_columns([pl.lit(1.0).alias(measure) for measure in MEASURES])
    return daily_series(daily, start, D(2026, 12, 2))


def tick_labels(svg: bytes) -> list[str]:
    """The date labels an SVG chart prints (text is kept as text)."""
    return re.findall(r">(\d{1,2} [A-Z][a-z]{2})<", svg.decode())


@pytest.mark.parametrize("days", [1, 7, 30, 90, 365])
def test_date_ticks_stay_inside_the_window_and_never_repeat(days: int) -> None:
    """Before: a one-day chart printed '1 Dec' three times and '2 Dec' four, days outside
    the window, with one bar filling the chart."""
    first = D(2026, 12, 2) - dt.timedelta(days=days - 1)
    for chart in (value_over_time, cumulative_value):
        labels = tick_labels(chart(series_of(days), "EUR"))
        assert labels, chart.__name__
        assert len(labels) == len(set(labels)), labels
        assert len(labels) <= 10
        shown = {dt.datetime.strptime(f"{label} 2026", "%d %b %Y").date() for label in labels}
        year_of = {d.replace(year=2025) if d > D(2026, 12, 2) else d for d in shown}
        assert all(first <= d <= D(2026, 12, 2) for d in year_of), labels
    assert tick_labels(value_over_time(series_of(1), "EUR")) == ["2 Dec"]


def test_a_leading_sign_keeps_its_own_width() -> None:
    html = '<td class="num">-EUR 48.3K</td><td>-27.0%</td><td>EUR 5</td><p>a-b</p>'
    assert proportional_signs(html) == (
        '<td class="num"><span class="sign">-</span>EUR 48.3K</td>'
        '<td><span class="sign">-</span>27.0%</td><td>EUR 5</td><p>a-b</p>'
    )


def test_tiles_colour_only_changes_that_matter() -> None:
    """Before: any dip against plan or the period before painted its tile red."""
    from bottomline.report.context import tone_of

    assert [tone_of(share, 0.02) for share in (-0.3, -0.02, -0.003, 0.0, 0.01, 0.05)] == [
        "bad", "bad", "neutral", "neutral", "neutral", "good",
    ]  # fmt: skip


def test_a_change_per_unit_needs_outcomes_in_both_windows() -> None:
    """Before: 14 and 9 known outcomes printed '+1141.7% against EUR 78 the period before'."""
    from bottomline.impact.result import BusinessImpact
    from bottomline.report.impact_context import comparable, previous_sentence
    from bottomline.report.narrative import Units

    def impact(matured_now: int, matured_before: int) -> BusinessImpact:
        now = april(matured=matured_now, realized_value=973.0 * matured_now)
        before = april(matured=matured_before, realized_value=78.0 * matured_before)
        return BusinessImpact(now, before, pl.DataFrame(), None, None, [], None, {}, {}, None)

    units = Units("application", "applications")
    assert not comparable(impact(14, 9))
    assert previous_sentence(impact(14, 9), "EUR", units) is None
    assert comparable(impact(30, 400))
    assert "in the 30 days before" in str(previous_sentence(impact(30, 400), "EUR", units))


def test_a_window_with_few_known_outcomes_is_not_judged() -> None:
    """Before, a day with 14 known outcomes of 2,143 read "199.2% above what their scores
    promised" in green. Now its verdict says there are too few outcomes yet, with no colour."""
    from bottomline.case.config import VerdictSpec
    from bottomline.impact.verdict import judge
    from bottomline.report.narrative import verdict

    day = april(
        start=D(2026, 12, 1), end=D(2026, 12, 1), predictions=2_143, matured=14,
        realized_value=13_600.0, expected_value_matured=4_550.0, variance_matured=1e6,
    )  # fmt: skip
    assert judge(day, VerdictSpec()) is None
    assert verdict("Car loan approvals", "EUR", day, VerdictSpec()) == (
        "Car loan approvals earned EUR 13.6K on 1 December 2026 from the 14 of 2,143 predictions "
        "whose outcomes are known: too few yet to judge against what their scores promised."
    )
    assert judge(april(), VerdictSpec()) is not None


def test_the_next_step_names_the_owner_and_where_to_start(tmp_path: Path) -> None:
    """Before: a report that needed a look said nothing of who should look, or where."""
    from types import SimpleNamespace
    from typing import Any, cast

    from bottomline.impact.slices import Slice
    from bottomline.report.context import next_step
    from tests.helpers import make_case

    case = make_case(tmp_path, owner="Credit risk (risk@example.com)", labels={"band": "Band"})
    worse = april(realized_value=1_000_000.0)  # far below its promise: "below"
    data = SimpleNamespace(
        case=case,
        impact=SimpleNamespace(
            segments={"band": [Slice("band", "A", april()), Slice("band", "B", worse)]}
        ),
        status=SimpleNamespace(level="good"),
        drift_where=None,
    )
    assert next_step(cast(Any, data), "below", "good") == (
        "Next step for Credit risk (risk@example.com): find why value is off its promise, "
        "starting with Band \u201cB\u201d (\u201cWhere the money came from\u201d)."
    )
    assert next_step(cast(Any, data), "within", "good") is None
    data.status.level = "problem"
    assert "fix the data problems" in str(next_step(cast(Any, data), "within", "good"))
