from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.optimize import isotonic_regression

from bottomline.measures.calibration import (
    IDENTITY,
    CalibrationError,
    Calibrator,
    fit_calibrator,
    fit_isotonic,
)


def test_isotonic_pools_adjacent_violators() -> None:
    # Positive rates by score: 0.1 -> 0, 0.2 -> 1, 0.3 -> 0, 0.4 -> 1: the middle pair pools to .5
    calibration = fit_isotonic(np.array([0.1, 0.2, 0.3, 0.4]), np.array([0, 1, 0, 1]))
    assert calibration.rates.tolist() == [0.0, 0.5, 0.5, 1.0]
    assert calibration.apply(np.array([0.0, 0.25, 0.35, 0.9])).tolist() == pytest.approx(
        [0.0, 0.5, 0.75, 1.0]
    )


def test_ties_in_score_are_pooled_by_weight() -> None:
    calibration = fit_isotonic(np.array([0.5, 0.5, 0.5, 0.9]), np.array([1, 0, 0, 1]))
    assert calibration.scores.tolist() == [0.5, 0.9]
    assert calibration.rates.tolist() == pytest.approx([1 / 3, 1.0])


def test_the_fit_is_monotone_and_recovers_a_calibrated_rate() -> None:
    rng = np.random.default_rng(1)
    scores = rng.uniform(size=50_000)
    labels = (rng.uniform(size=scores.size) < scores**2).astype(int)  # true rate = score^2
    calibration = fit_isotonic(scores, labels)
    assert np.all(np.diff(calibration.rates) >= 0)
    grid = np.array([0.2, 0.5, 0.8])
    assert calibration.apply(grid) == pytest.approx(grid**2, abs=0.03)


def test_only_the_ends_of_a_flat_run_are_kept_and_the_map_is_the_same() -> None:
    rng = np.random.default_rng(3)
    scores = rng.uniform(size=20_000)
    labels = (rng.uniform(size=scores.size) < scores).astype(int)
    calibration = fit_isotonic(scores, labels)
    assert len(calibration.scores) < 2_000  # of 20,000 distinct scores
    flat = (calibration.rates[1:-1] == calibration.rates[:-2]) & (
        calibration.rates[1:-1] == calibration.rates[2:]
    )
    assert not flat.any()
    # The full fit, by hand: every distinct score with its pooled rate.
    order = np.argsort(scores)
    full = isotonic_regression(labels[order].astype(float), increasing=True).x
    probes = np.concatenate([scores, rng.uniform(-0.1, 1.1, size=5_000)])
    expected = np.interp(probes, scores[order], full)
    assert np.array_equal(calibration.apply(probes), expected)


def test_one_kind_of_label_cannot_calibrate() -> None:
    with pytest.raises(CalibrationError, match="all the same"):
        fit_isotonic(np.array([0.1, 0.9]), np.array([1, 1]))
    with pytest.raises(CalibrationError, match="no labelled rows"):
        fit_isotonic(np.array([]), np.array([]))


def test_versions_with_enough_reference_rows_get_their_own_map() -> None:
    rng = np.random.default_rng(2)
    size = 4000
    scores = rng.uniform(size=size)
    versions = np.where(np.arange(size) < 3000, "v1", "v2")  # v2 has 1000 rows: enough
    labels = np.where(versions == "v1", scores > 0.5, scores > 0.8).astype(int)
    reference = pl.DataFrame({"score": scores, "label": labels, "model_version": versions})
    calibrator = fit_calibrator(reference, "isotonic")
    assert set(calibrator.by_version) == {"v1", "v2"}
    calibrated = calibrator.calibrate(
        pl.Series([0.7, 0.7, 0.7]), pl.Series(["v1", "v2", "v3"])
    ).to_list()
    assert calibrated[0] == pytest.approx(1.0)  # v1: everything above .5 is positive
    assert calibrated[1] == pytest.approx(0.0)  # v2: nothing below .8 is
    assert 0 < calibrated[2] < 1  # v3 is unknown: the pooled map


def test_calibration_none_takes_scores_at_face_value() -> None:
    reference = pl.DataFrame({"score": [0.2, 0.7], "label": [1, 1]})
    calibrator = fit_calibrator(reference, "none")
    assert calibrator.pooled is IDENTITY
    assert Calibrator(pooled=IDENTITY).calibrate(
        pl.Series([0.2, 0.7]), pl.Series([None, None], dtype=pl.String)
    ).to_list() == pytest.approx([0.2, 0.7])


def test_a_weighted_fit_keeps_weighted_sums_within_its_blocks() -> None:
    rng = np.random.default_rng(3)
    scores = rng.uniform(size=5_000)
    labels = (rng.uniform(size=5_000) < scores).astype(int)
    stakes = rng.uniform(1, 100, size=5_000)
    calibration = fit_isotonic(scores, labels, stakes)
    promised = float(np.sum(stakes * calibration.apply(scores)))
    assert promised == pytest.approx(float(np.sum(stakes * labels)), rel=1e-9)


def test_stake_weighting_removes_the_bias_of_stakes_that_go_right_more_often() -> None:
    """At the same score, big loans repay more often: an unweighted fit promises too little."""
    rng = np.random.default_rng(4)

    def sample(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        scores = rng.uniform(0.6, 1.0, size)
        stakes = rng.lognormal(9, 0.6, size)
        lift = 0.08 * (np.log(stakes) - 9) / 0.6  # bigger stake, likelier to go right
        labels = (rng.uniform(size=size) < np.clip(scores + lift, 0, 1)).astype(int)
        return scores, labels, stakes

    reference = pl.DataFrame(dict(zip(("score", "label", "_stake"), sample(200_000), strict=True)))
    scores, labels, stakes = sample(200_000)
    realized = float(np.sum(stakes * labels))

    def promised(calibrator: Calibrator) -> float:
        q = calibrator.calibrate(
            pl.Series(scores), pl.Series([None] * len(scores), dtype=pl.String)
        ).to_numpy()
        return float(np.sum(stakes * q))

    weighted = fit_calibrator(reference.drop("_stake"), "isotonic", reference["_stake"].to_numpy())
    plain = fit_calibrator(reference.drop("_stake"), "isotonic")
    assert promised(weighted) == pytest.approx(realized, rel=0.005)
    assert promised(plain) < realized * 0.99  # off by more than a percent
