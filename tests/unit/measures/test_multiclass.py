"""A multiclass model's measures: realized value exact from the value matrix, expected value
from calibrated class probabilities, the confusion by (true, decided) pair, and its range."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from bottomline.case.config import BusinessCase
from bottomline.measures.figures import Z_95
from bottomline.measures.multiclass import (
    class_stake_cells,
    confusion_sums,
    fit_class_calibration,
    fit_class_spread,
    multiclass_measures,
)

CLASSES = ["a", "b", "c"]
MATRIX: dict[str, dict[str, object]] = {
    "a": {"a": 10, "b": -2, "c": -5},
    "b": {"a": -1, "b": "20 + spend", "c": 0},
    "c": {"a": -3, "b": -4, "c": 30},
}


def case(calibration: str = "none", matrix: dict[str, dict[str, object]] = MATRIX) -> BusinessCase:
    return BusinessCase.model_validate(
        {
            "name": "offers", "title": "Offers", "currency": "EUR",
            "task": "multiclass_classification", "classes": CLASSES, "calibration": calibration,
            "predictions": {"source": {"path": "p.csv"}, "id": "id", "timestamp": "t",
                            "scores": {"a": "p_a", "b": "p_b", "c": "p_c"}},
            "outcomes": {"source": {"path": "o.csv"}, "id": "id", "label": "taken"},
            "reference": {"source": {"path": "r.csv"}},
            "value": {"matrix": matrix},
        }
    )  # fmt: skip


def rows(scores: list[list[float]], decision: list[int], label: list[int | None]) -> pl.DataFrame:
    table = np.array(scores)
    return pl.DataFrame(
        {
            "day": [None] * len(decision),
            "p_a": table[:, 0], "p_b": table[:, 1], "p_c": table[:, 2],
            "decision": decision, "label": label, "spend": [5.0] * len(decision),
            "model_version": ["v1"] * len(decision),
        },
        schema_overrides={"decision": pl.Int8, "label": pl.Int8, "day": pl.Date},
    )  # fmt: skip


def test_realized_value_is_the_matrix_cell_of_the_true_and_decided_class() -> None:
    """NannyML's convention: value[i][j] is true class i, decided class j."""
    frame = rows(
        [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]],
        decision=[1, 0, 2, 2],
        label=[1, 2, 0, None],
    )
    measured = multiclass_measures(frame, case(), fit_class_calibration(frame, case()))
    # true b decided b: 20 + 5; true c decided a: -3; true a decided c: -5; pending: 0
    assert measured["realized_value"].to_list() == [25.0, -3.0, -5.0, 0.0]
    # expected at face value: sum_i p_i * value[i][decided]
    assert measured["expected_value"].to_list() == pytest.approx(
        [0.2 * -2 + 0.7 * 25 + 0.1 * -4, 0.6 * 10 + 0.3 * -1 + 0.1 * -3,
         0.1 * -5 + 0.1 * 0 + 0.8 * 30, 0.3 * -5 + 0.3 * 0 + 0.4 * 30]
    )  # fmt: skip
    assert measured["matured"].to_list() == [1, 1, 1, 0]
    confusion = confusion_sums(measured.with_columns(pl.lit(None, pl.Date).alias("day")), case())
    pairs = {
        (r["true_class"], r["decided_class"]): r["realized_value"] for r in confusion.to_dicts()
    }
    assert pairs == {("b", "b"): 25.0, ("c", "a"): -3.0, ("a", "c"): -5.0}


def test_calibrated_probabilities_match_each_decisions_class_rates() -> None:
    """Among the reference rows of each decision, each class's mean calibrated probability
    is its share of the labels there, so the probabilities add up to 1 on average."""
    generator = np.random.default_rng(5)
    truth = generator.dirichlet([2.0, 2.0, 2.0], 6_000)
    label = (generator.uniform(size=(6_000, 1)) > truth.cumsum(axis=1)).sum(axis=1)
    over_confident = truth**2 / (truth**2).sum(axis=1, keepdims=True)
    decision = over_confident.argmax(1)
    frame = rows(over_confident.tolist(), decision=decision.tolist(), label=label.tolist())
    calibration = fit_class_calibration(frame, case("isotonic"))
    probabilities, _ = calibration.apply(over_confident, decision)
    for decided in range(3):
        mine = decision == decided
        assert probabilities[mine].sum(axis=1).mean() == pytest.approx(1.0, abs=1e-9)
        for k in range(3):
            share = (label[mine] == k).mean()
            assert probabilities[mine, k].mean() == pytest.approx(share, abs=1e-9)


def over_confident(generator: np.random.Generator, size: int) -> pl.DataFrame:
    """Outcomes drawn from true class probabilities; scores over-confident for every class at
    once (the truth to the power 1.5, renormalised); the decision their most likely class."""
    truth = generator.dirichlet([1.5, 1.0, 0.8], size)
    label = (generator.uniform(size=(size, 1)) > truth.cumsum(axis=1)).sum(axis=1)
    scores = truth**1.5 / (truth**1.5).sum(axis=1, keepdims=True)
    return rows(scores.tolist(), scores.argmax(1).tolist(), label.tolist())


def test_over_confident_scores_are_valued_without_bias() -> None:
    """Scores over-confident for every class at once (`over_confident`):
    maps fitted per decision value a large window within a fraction of its range of what
    it realizes, where one map per class for all decisions, renormalised, ran several
    standard deviations low."""
    generator = np.random.default_rng(3)

    model = case("isotonic")
    gaps = []
    for _ in range(6):
        calibration = fit_class_calibration(over_confident(generator, 50_000), model)
        measured = multiclass_measures(over_confident(generator, 200_000), model, calibration)
        gap = float(measured["realized_value"].sum()) - float(
            measured["expected_value_matured"].sum()
        )
        gaps.append(gap / np.sqrt(float(measured["variance_matured"].sum())))
    assert abs(np.mean(gaps)) < 1.0  # standard deviations of the outcomes' randomness


def test_the_range_covers_realized_value_in_95_of_windows() -> None:
    """Data drawn from the true probabilities; a model over-confident against them, calibrated
    on a reference of 3,000 rows and valued on windows of 20,000."""
    generator = np.random.default_rng(8)

    covered = covered_by_outcomes_alone = 0
    windows = 25
    model = case("isotonic")
    for _ in range(windows):
        reference = over_confident(generator, 3_000)
        calibration = fit_class_calibration(reference, model)
        spread = fit_class_spread(reference, model, calibration)
        assert spread is not None
        measured = multiclass_measures(over_confident(generator, 20_000), model, calibration)
        realized, expected = measured["realized_value"], measured["expected_value_matured"]
        gap = float(realized.sum()) - float(expected.sum())
        outcomes = float(measured["variance_matured"].sum())
        stakes = class_stake_cells(measured, model, ["model_version"])
        calibration_variance = spread.variance(stakes, "stake_matured")
        covered += abs(gap) <= Z_95 * np.sqrt(outcomes + calibration_variance)
        covered_by_outcomes_alone += abs(gap) <= Z_95 * np.sqrt(outcomes)
    print(f"covered: {covered} of {windows} with the spread, {covered_by_outcomes_alone} without")
    assert covered >= 0.9 * windows
    assert covered_by_outcomes_alone < covered


def test_a_matrix_without_a_class_names_the_row_and_the_missing_class() -> None:
    matrix: dict[str, dict[str, object]] = {**MATRIX, "b": {"a": -1, "b": 20}}
    with pytest.raises(ValueError, match=r"true class 'b' needs one value per decided class .*'c'"):
        case(matrix=matrix)


def test_scores_must_name_every_class() -> None:
    document = case().model_dump(exclude={"path"})
    document["predictions"]["scores"] = {"a": "p_a", "b": "p_b"}
    document["value"] = {"matrix": MATRIX}
    with pytest.raises(ValueError, match=r"predictions\.scores: expected one entry per class"):
        BusinessCase.model_validate(document)
