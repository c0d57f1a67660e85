"""How often a multiclass or regression model's 95% range flags a window (issue 20).

    uv run python -m benchmarks.kind_coverage [--task multiclass regression] [--trials 100]
        [--reference 3000 20000] [--windows 20000 200000] [--json out.json]

The companion of `verdict_coverage` (binary classifiers) for the other two kinds. Each trial
draws a reference and a window from a model that keeps its promise, fits what the nightly run
fits on the reference exactly as it does (a multiclass model: `fit_class_calibration` and
`fit_class_spread`, an over-confident model calibrated per class; a regression model:
`fit_errors` and its spread), values the window with `multiclass_measures` or
`regression_measures`, and asks whether the realized value falls outside the range: the
outcomes' randomness alone, and with the fitted maps' own uncertainty. A second window per
trial breaks the promise (multiclass: 4% of the outcomes that matched the decision turned to
another class; regression: actuals 3% lower) and should be flagged. Prints the share of
trials flagged for every reference size and window volume; a model keeping its promise should
be flagged in at most 5% of them.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.measures.error_model import fit_errors
from bottomline.measures.figures import Z_95
from bottomline.measures.multiclass import (
    class_stake_cells,
    fit_class_calibration,
    fit_class_spread,
    multiclass_measures,
)
from bottomline.measures.regression import regression_measures, stake_cells

CLASSES = ["cashback", "travel", "premium"]
DEMAND_RULE = "margin * min(prediction, actual) - cost * max(prediction - actual, 0)"
Judge = Callable[[pl.DataFrame, pl.DataFrame], tuple[bool, bool]]


@dataclass(frozen=True)
class Coverage:
    task: str
    reference_rows: int
    window_rows: int
    trials: int
    flagged_outcomes_only: float  # share of trials, promise holding
    flagged_with_spread: float
    caught_outcomes_only: float  # share of trials, promise broken
    caught_with_spread: float


def multiclass_case() -> BusinessCase:
    """Three cards; deciding right earns a share of the spend, deciding wrong costs."""
    matrix = {
        true: {
            decided: (f"{10 * (k + 1)} + 0.01 * spend" if true == decided else -5 - 5 * k)
            for decided in CLASSES
        }
        for k, true in enumerate(CLASSES)
    }
    return BusinessCase.model_validate(
        {
            "name": "offers", "title": "Offers", "currency": "EUR",
            "task": "multiclass_classification", "classes": CLASSES, "calibration": "isotonic",
            "predictions": {"source": {"path": "p.csv"}, "id": "id", "timestamp": "t",
                            "scores": {c: f"p_{c}" for c in CLASSES}},
            "outcomes": {"source": {"path": "o.csv"}, "id": "id", "label": "taken"},
            "reference": {"source": {"path": "r.csv"}},
            "value": {"matrix": matrix},
        }
    )  # fmt: skip


def regression_case() -> BusinessCase:
    return BusinessCase.model_validate(
        {
            "name": "demand", "title": "Demand", "currency": "EUR", "task": "regression",
            "predictions": {"source": {"path": "p.csv"}, "id": "id", "timestamp": "t",
                            "prediction": "forecast"},
            "outcomes": {"source": {"path": "o.csv"}, "id": "id", "actual": "sold"},
            "reference": {"source": {"path": "r.csv"}},
            "value": {"per_prediction": DEMAND_RULE},
        }
    )  # fmt: skip


def draw_offers(rows: int, generator: np.random.Generator) -> pl.DataFrame:
    """True class probabilities, an over-confident model's scores, its argmax decision, the
    class taken drawn from the truth (codes in class order), and a spend per customer."""
    truth = generator.dirichlet([1.5, 1.0, 0.8], rows)
    label = (generator.uniform(size=(rows, 1)) > truth.cumsum(axis=1)).sum(axis=1)
    scores = truth**1.5 / (truth**1.5).sum(axis=1, keepdims=True)
    return pl.DataFrame(
        {
            **{f"p_{name}": scores[:, k] for k, name in enumerate(CLASSES)},
            "decision": scores.argmax(axis=1).astype(np.int8),
            "label": label.clip(0, len(CLASSES) - 1).astype(np.int8),
            "spend": generator.uniform(200, 3_000, rows),
            "model_version": "v1",
            "day": None,
        },
        schema_overrides={"day": pl.Date},
    )


def draw_demand(rows: int, generator: np.random.Generator) -> pl.DataFrame:
    """Forecasts (units), sales around them with a 30% spread, margin and holding cost."""
    forecast = generator.uniform(5, 50, rows)
    sold = np.maximum(forecast + generator.normal(0, 0.3 * forecast), 0)
    return pl.DataFrame(
        {"score": forecast, "actual": sold, "margin": 2.0, "cost": 1.5, "model_version": "v1"}
    )


def outside(measured: pl.DataFrame, extra_variance: float) -> tuple[bool, bool]:
    """(outside the outcomes-only range, outside the range with the fitted maps' spread)."""
    realized = float(measured["realized_value"].sum())
    gap = abs(realized - float(measured["expected_value_matured"].sum()))
    outcomes = float(measured["variance_matured"].sum())
    return gap > Z_95 * np.sqrt(outcomes), gap > Z_95 * np.sqrt(outcomes + extra_variance)


def judge_offers(reference: pl.DataFrame, window: pl.DataFrame) -> tuple[bool, bool]:
    case = multiclass_case()
    calibration = fit_class_calibration(reference, case)
    spread = fit_class_spread(reference, case, calibration)
    assert spread is not None
    measured = multiclass_measures(window, case, calibration)
    stakes = class_stake_cells(measured, case, ["model_version"])
    return outside(measured, spread.variance(stakes, "stake_matured"))


def judge_demand(reference: pl.DataFrame, window: pl.DataFrame) -> tuple[bool, bool]:
    errors = fit_errors(reference)
    measured = regression_measures(window, regression_case(), errors)
    stakes = stake_cells(measured, ["model_version"])
    return outside(measured, errors.spread(reference).variance(stakes, "stake_matured"))


def break_offers(window: pl.DataFrame, generator: np.random.Generator) -> pl.DataFrame:
    """4% of the outcomes that matched the decision turn to the next class."""
    label, decision = window["label"].to_numpy().copy(), window["decision"].to_numpy()
    right = np.flatnonzero(label == decision)
    moved = generator.choice(right, int(0.04 * len(right)), replace=False)
    label[moved] = (label[moved] + 1) % len(CLASSES)
    return window.with_columns(pl.Series("label", label, dtype=pl.Int8))


def break_demand(window: pl.DataFrame, generator: np.random.Generator) -> pl.DataFrame:
    return window.with_columns(pl.col("actual") * 0.97)


KINDS: dict[str, tuple[Callable[..., pl.DataFrame], Judge, Callable[..., pl.DataFrame]]] = {
    "multiclass": (draw_offers, judge_offers, break_offers),
    "regression": (draw_demand, judge_demand, break_demand),
}


def coverage(task: str, reference_rows: int, window_rows: int, trials: int, seed: int) -> Coverage:
    draw, judge, spoil = KINDS[task]
    generator = np.random.default_rng(seed)
    counts = np.zeros(4)
    for _ in range(trials):
        reference, window = draw(reference_rows, generator), draw(window_rows, generator)
        counts[:2] += judge(reference, window)
        counts[2:] += judge(reference, spoil(window, generator))
    shares = counts / trials
    return Coverage(task, reference_rows, window_rows, trials, *map(float, shares))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", nargs="+", choices=sorted(KINDS), default=sorted(KINDS))
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--reference", type=int, nargs="+", default=[3_000, 20_000])
    parser.add_argument("--windows", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    results = []
    print(
        "| kind | reference | window | trials | promise holds: flagged, outcomes only / with "
        "spread | promise broken: flagged, outcomes only / with spread |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for task in arguments.task:
        for reference_rows in arguments.reference:
            for number, window_rows in enumerate(arguments.windows):
                result = coverage(task, reference_rows, window_rows, arguments.trials, number)
                results.append(result)
                print(
                    f"| {task} | {reference_rows:,} | {window_rows:,} | {result.trials} "
                    f"| {result.flagged_outcomes_only:.0%} / {result.flagged_with_spread:.0%} "
                    f"| {result.caught_outcomes_only:.0%} / {result.caught_with_spread:.0%} |",
                    flush=True,
                )
    if arguments.json:
        arguments.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
