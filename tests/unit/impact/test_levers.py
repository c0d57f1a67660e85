"""The decision curve and the baseline's gain, on literal rows with known answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from bottomline.impact.levers import baseline_gain, decision_curve
from bottomline.measures.calibration_spread import REPLICATES, CalibrationSpread
from bottomline.measures.levers import CURVE_SCHEMA

DAY = dt.date(2026, 11, 2)
TP, FP = 100.0, -100.0  # TN = FN = 0: a declined prediction is worth nothing


def cell(
    cent: int,
    decided: int,
    q: float,
    n: int = 10,
    baseline: int | None = None,
    repaid: tuple[int, int] = (0, 0),
) -> dict[str, object]:
    """n predictions in one score cent: of those whose outcome is known, `repaid` = how many
    were positive and negative; the others pending, of calibrated probability q."""
    stake = TP - FP
    positive, negative = repaid
    waiting = n - positive - negative
    return {
        "day": DAY,
        "model_version": "v1",
        "score_cent": cent,
        "decided": decided,
        "baseline_decided": baseline,
        "spread_bin": 0,
        "predictions": n,
        "pending_value_deciding_positive": waiting * (q * TP + (1 - q) * FP),
        "pending_value_deciding_negative": 0.0,
        "pending_switch_variance": waiting * q * (1 - q) * stake**2,
        "pending_switch_stake": waiting * stake,
        "matured": positive + negative,
        "realized_deciding_positive": positive * TP + negative * FP,
        "realized_deciding_negative": 0.0,
    }


def rows(*cells: dict[str, object]) -> pl.DataFrame:
    return pl.DataFrame(list(cells), schema=CURVE_SCHEMA)


THREE = rows(
    cell(40, 0, 0.4, baseline=1),  # declined, pending; worth -20 each approved
    # declined; four outcomes known (an outside source reports on declined applicants): three
    # repaid, one did not, so approving them would have realized 3 * 100 - 100; the six
    # pending are worth +40 each approved: money left on the table
    cell(70, 0, 0.7, baseline=1, repaid=(3, 1)),
    cell(90, 1, 0.9, baseline=1, repaid=(8, 2)),  # approved, all known: 8 * 100 - 2 * 100
)


def test_the_curve_values_each_threshold_by_the_predictions_it_switches() -> None:
    curve = decision_curve(THREE, None, DAY, DAY, threshold=0.9)
    assert curve is not None
    assert curve.decided_value == pytest.approx(600)  # realized; declined ones are worth 0
    assert curve.threshold_in_use == 0.9  # every decision agrees with it
    gains = {round(t, 2): g.amount for t, g in zip(curve.thresholds, curve.gains, strict=True)}
    approving_the_seventies = 200 + 6 * 40  # realized where known, estimated where pending
    assert gains[0.0] == pytest.approx(approving_the_seventies - 200)  # approve all
    assert gains[0.5] == pytest.approx(approving_the_seventies)
    assert gains[0.9] == pytest.approx(0)
    assert gains[1.0] == pytest.approx(-600)  # decline all: give up what the approved realized
    # 0.41 to 0.70 earn the same; the nearest to the threshold in use is named
    assert curve.best_threshold == 0.7
    best = curve.best
    assert best.switched == 10
    assert best.known == 4
    assert best.known_amount == pytest.approx(200)
    assert curve.gains[-1].known_amount == pytest.approx(-600)
    half_width = 1.96 * np.sqrt(6 * 0.7 * 0.3 * 200**2)  # only the six pending outcomes vary
    low, high = approving_the_seventies - half_width, approving_the_seventies + half_width
    assert (best.low, best.high) == pytest.approx((low, high))
    assert not best.beyond_noise


def test_a_gain_from_many_predictions_is_beyond_noise() -> None:
    many = rows(cell(70, 0, 0.7, n=1000), cell(90, 1, 0.9, n=1000))
    curve = decision_curve(many, None, DAY, DAY, threshold=0.9)
    assert curve is not None
    assert curve.best.amount == pytest.approx(40_000)
    assert curve.best.beyond_noise


def test_decisions_that_follow_no_threshold_name_none() -> None:
    mixed = rows(cell(40, 1, 0.4), cell(70, 0, 0.7), cell(90, 1, 0.9))
    curve = decision_curve(mixed, None, DAY, DAY, threshold=0.5)
    assert curve is not None
    assert curve.threshold_in_use is None


def test_the_calibrations_spread_widens_the_range() -> None:
    many = rows(cell(70, 0, 0.7, n=1000), cell(90, 1, 0.9, n=1000))
    shifts = np.zeros((REPLICATES, 2))
    shifts[:, 0] = np.linspace(-0.05, 0.05, REPLICATES)  # q could be off by up to 0.05
    spread = CalibrationSpread(np.array([1.0]), {"_pooled": shifts})
    plain = decision_curve(many, None, DAY, DAY, 0.9)
    wider = decision_curve(many, spread, DAY, DAY, 0.9)
    assert plain is not None
    assert wider is not None
    calibration_sd = np.std(np.linspace(-0.05, 0.05, REPLICATES) * 1000 * 200, ddof=1)
    expected = np.sqrt((plain.best.amount - plain.best.low) ** 2 / 1.96**2 + calibration_sd**2)
    assert wider.best.amount - wider.best.low == pytest.approx(1.96 * expected)


def test_the_baseline_gain_is_what_the_decisions_made_earned_over_the_rule() -> None:
    gain = baseline_gain(THREE, None, DAY, DAY)
    assert gain is not None
    # the rule approves both declined cents: -200 + 440; the model earned that much less
    assert gain.amount == pytest.approx(-240)
    assert gain.switched == 20
    assert baseline_gain(rows(cell(40, 0, 0.4)), None, DAY, DAY) is None  # no baseline
