"""How often the verdict's 95% range flags a window, on data generated here (issue 16).

    uv run python -m benchmarks.verdict_coverage [--trials 40] [--reference 20000 100000]
        [--windows 10000 100000 1000000] [--json out.json]

Each trial draws a reference and a window from a model whose promise holds (scores are the
true probabilities of a positive outcome), fits the calibration and its bootstrap spread on
the reference exactly as the nightly run does (`fit_calibrator`, `fit_spread`), and asks
whether the window's realized value falls outside the 95% range: the old one (the outcomes'
randomness only) and the new one (plus the calibration's own uncertainty). A second window
per trial has 4% of its positive outcomes turned negative: it should be flagged. Prints the
share of trials flagged for every reference size and window volume.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

from bottomline.measures.calibration import Calibrator, fit_calibrator
from bottomline.measures.calibration_spread import CalibrationSpread, fit_spread
from bottomline.measures.figures import Z_95

GAIN, LOSS = 100.0, -500.0  # a positive decision's value if the outcome is positive / negative
THRESHOLD = 0.75  # positive decision when the score is at least this


@dataclass(frozen=True)
class Coverage:
    reference_rows: int
    window_rows: int
    trials: int
    flagged_old_range: float  # share of trials, promise holding
    flagged_new_range: float
    caught_old_range: float  # share of trials, 4% of positive outcomes flipped
    caught_new_range: float


def draw(rows: int, generator: np.random.Generator) -> pl.DataFrame:
    """Scores (the true probability of a positive outcome), decisions and outcomes."""
    scores = generator.beta(5, 1.5, rows)
    labels = (generator.uniform(size=rows) < scores).astype(np.int8)
    return pl.DataFrame(
        {"score": scores, "label": labels, "decision": (scores >= THRESHOLD).astype(np.int8)}
    )


def stakes_of(frame: pl.DataFrame) -> np.ndarray:
    """v1 - v0 per row: what a positive outcome is worth over a negative one (currency)."""
    return np.where(frame["decision"].to_numpy() == 1, GAIN - LOSS, 0.0)


def judge_window(
    window: pl.DataFrame,
    calibrator: Calibrator,
    spread: CalibrationSpread,
) -> tuple[bool, bool]:
    """(outside the old range, outside the new range) for the window's realized value."""
    scores = window["score"].to_numpy()
    approved = window["decision"].to_numpy() == 1
    labels = window["label"].to_numpy()
    q = calibrator.pooled.apply(scores)
    value_if_negative = np.where(approved, LOSS, 0.0)
    stake = np.where(approved, GAIN - LOSS, 0.0)
    promised = float(np.sum(q * stake + value_if_negative))
    realized = float(np.sum(labels * stake + value_if_negative))
    outcome_variance = float(np.sum(q * (1 - q) * stake**2))
    by_bin = pl.DataFrame(
        {"model_version": "_all", "score_bin": spread.score_bin(scores), "stake": stake}
    )
    calibration_variance = spread.variance(by_bin, "stake")
    gap = abs(realized - promised)
    return (
        gap > Z_95 * np.sqrt(outcome_variance),
        gap > Z_95 * np.sqrt(outcome_variance + calibration_variance),
    )


def flip_positives(
    window: pl.DataFrame, share: float, generator: np.random.Generator
) -> pl.DataFrame:
    labels = window["label"].to_numpy().copy()
    positive = np.flatnonzero(labels == 1)
    labels[generator.choice(positive, int(share * len(positive)), replace=False)] = 0
    return window.with_columns(pl.Series("label", labels, dtype=pl.Int8))


def coverage(reference_rows: int, window_rows: int, trials: int, seed: int) -> Coverage:
    generator = np.random.default_rng(seed)
    counts = np.zeros(4)
    for _ in range(trials):
        reference = draw(reference_rows, generator)
        stakes = stakes_of(reference)
        calibrator = fit_calibrator(reference, "isotonic", stakes)
        spread = fit_spread(reference, "isotonic", stakes, calibrator)
        assert spread is not None
        window = draw(window_rows, generator)
        counts[:2] += judge_window(window, calibrator, spread)
        counts[2:] += judge_window(flip_positives(window, 0.04, generator), calibrator, spread)
    shares = counts / trials
    return Coverage(reference_rows, window_rows, trials, *map(float, shares))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--reference", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--windows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    results = []
    print(
        "| reference | window | trials | promise holds: flagged, old / new range "
        "| 4% of positives flipped: flagged, old / new range |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for reference_rows in arguments.reference:
        for number, window_rows in enumerate(arguments.windows):
            result = coverage(reference_rows, window_rows, arguments.trials, seed=number)
            results.append(result)
            print(
                f"| {reference_rows:,} | {window_rows:,} | {result.trials} "
                f"| {result.flagged_old_range:.0%} / {result.flagged_new_range:.0%} "
                f"| {result.caught_old_range:.0%} / {result.caught_new_range:.0%} |",
                flush=True,
            )
    if arguments.json:
        arguments.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
