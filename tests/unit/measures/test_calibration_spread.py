"""The calibration's bootstrap spread: its fit, and a window's calibration variance from it."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from benchmarks.verdict_coverage import coverage, draw, stakes_of
from bottomline.measures.calibration import fit_calibrator
from bottomline.measures.calibration_spread import POOLED, REPLICATES, CalibrationSpread, fit_spread


def test_a_windows_variance_is_the_replicates_variance_of_its_stake_weighted_shifts() -> None:
    generator = np.random.default_rng(7)
    pooled = generator.normal(0, 0.01, (REPLICATES, 3))
    own = generator.normal(0, 0.02, (REPLICATES, 3))
    spread = CalibrationSpread(np.array([0.3, 0.6]), {POOLED: pooled, "v2": own})
    stakes = pl.DataFrame(
        {
            "model_version": ["v1", "v1", "v2", "v9"],
            "score_bin": [0, 2, 1, 2],
            "stake": [100.0, 50.0, 80.0, 10.0],
        }
    )
    # v1 and v9 have no map of their own: the pooled map's shifts
    totals = pooled @ np.array([100.0, 0.0, 60.0]) + own @ np.array([0.0, 80.0, 0.0])
    assert spread.variance(stakes, "stake") == pytest.approx(np.var(totals, ddof=1))
    assert spread.variance(stakes.clear(), "stake") == 0.0
    assert spread.score_bin(np.array([0.0, 0.3, 0.31, 0.6, 1.0])).tolist() == [0, 0, 1, 1, 2]


def test_the_spread_is_fitted_per_map_and_the_same_every_time() -> None:
    generator = np.random.default_rng(3)
    reference = draw(20_000, generator).with_columns(
        pl.Series("model_version", generator.choice(["v1", "v2"], 20_000, p=[0.9, 0.1]))
    )
    stakes = stakes_of(reference)
    calibrator = fit_calibrator(reference, "isotonic", stakes)
    spread = fit_spread(reference, "isotonic", stakes, calibrator)
    again = fit_spread(reference, "isotonic", stakes, calibrator)
    assert spread is not None
    assert again is not None
    assert set(spread.shifts) == {POOLED, "v1", "v2"}
    for name, shifts in spread.shifts.items():
        assert shifts.shape == (REPLICATES, len(spread.upper_edges) + 1)
        np.testing.assert_array_equal(shifts, again.shifts[name])
    # the smaller version's own map is less certain than the pooled one
    assert spread.shifts["v2"].std(axis=0).mean() > spread.shifts[POOLED].std(axis=0).mean()
    assert fit_spread(reference, "none", stakes, calibrator) is None


def test_the_new_range_stops_crying_wolf_at_volume_and_still_catches_a_real_loss() -> None:
    """A model whose promise holds, a 20,000-row reference, windows of 100,000 predictions:
    the range of outcomes alone flags most windows; with the calibration's spread, at most 2
    in 20 (at 95%: about 1 in 20). 4% of positive outcomes turned negative: every window."""
    result = coverage(reference_rows=20_000, window_rows=100_000, trials=20, seed=1)
    assert result.flagged_old_range >= 0.3
    assert result.flagged_new_range <= 0.1
    assert result.caught_new_range >= 0.95
