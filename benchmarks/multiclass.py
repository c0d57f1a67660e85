"""What a multiclass model costs against a binary one: the reference fit, and the valuation
of a night's rows.

    uv run python -m benchmarks.multiclass [--reference-rows 1000000] [--rows 10000000]
        [--classes 3] [--json out.json]

Fit: the per-class isotonic calibration and its bootstrap spread (every class map refitted on
100 replicates) on a reference of `--reference-rows` rows, against the binary calibration and
spread on the same number of rows. NannyML 0.13's multiclass fit costs about 6 ms per reference
row (a 60,000-row reference: over 5 minutes).

Night: `--rows` predictions, 60% with outcomes, valued in batches of 1M rows as the
aggregation does (measures, daily sums by segment, stake sums, and for multiclass the
confusion by pair), for a multiclass model and for a binary one with the same features; CPU
seconds of this process (user + system) and wall seconds. Reading and checking the rows
(ingest) is not part of it: its cost grows with the columns read, one per class.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.measures.calibration import fit_calibrator
from bottomline.measures.calibration_spread import fit_spread
from bottomline.measures.metrics import measure, stake_sums, summarize
from bottomline.measures.multiclass import (
    confusion_sums,
    fit_class_calibration,
    fit_class_spread,
)

BATCH = 1_000_000
DAY = dt.date(2026, 6, 30)


def cases(classes: int) -> tuple[BusinessCase, BusinessCase]:
    names = [f"c{k}" for k in range(classes)]
    common = {
        "currency": "EUR",
        "outcomes": {"source": {"path": "o.csv"}, "id": "id", "label": "y"},
        "reference": {"source": {"path": "r.csv"}},
        "segments": ["region"],
    }
    predictions = {"source": {"path": "p.csv"}, "id": "id", "timestamp": "t"}
    multiclass = BusinessCase.model_validate(
        {
            **common,
            "name": "offers",
            "title": "Offers",
            "task": "multiclass_classification",
            "classes": names,
            "predictions": {**predictions, "scores": {n: f"p_{n}" for n in names}},
            "value": {
                "matrix": {t: {d: ("amount * 0.1" if t == d else -5) for d in names} for t in names}
            },
        }
    )
    binary = BusinessCase.model_validate(
        {
            **common,
            "name": "loans",
            "title": "Loans",
            "predictions": {**predictions, "score": "p"},
            "value": {
                "true_positive": "amount * 0.1",
                "false_positive": -5,
                "true_negative": 0,
                "false_negative": 0,
            },
        }
    )
    return multiclass, binary


def rows(size: int, classes: int, seed: int, labelled: float = 0.6) -> pl.DataFrame:
    generator = np.random.default_rng(seed)
    truth = generator.dirichlet(np.ones(classes), size)
    label = (generator.uniform(size=(size, 1)) > truth.cumsum(axis=1)).sum(axis=1)
    scores = truth**1.3 / (truth**1.3).sum(axis=1, keepdims=True)
    known = generator.uniform(size=size) < labelled
    frame = pl.DataFrame(
        {
            "day": np.full(size, np.datetime64(DAY, "D")),
            "model_version": "v1",
            "region": generator.choice(["north", "south", "east", "west"], size),
            "amount": generator.uniform(100, 1000, size),
            **{f"p_c{k}": scores[:, k] for k in range(classes)},
            "score": truth[:, 0],  # the binary model's: class 0 against the rest
            "decision": scores.argmax(axis=1).astype(np.int8),
            "label": np.where(known, label, -1).astype(np.int8),
        }
    )
    return frame.with_columns(pl.when(pl.col("label") >= 0).then(pl.col("label")).alias("label"))


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-rows", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    multiclass, binary = cases(arguments.classes)
    reference = rows(arguments.reference_rows, arguments.classes, seed=1, labelled=1.0)
    binary_reference = reference.with_columns(
        (pl.col("label") == 0).cast(pl.Int8).alias("label"),
        (pl.col("decision") == 0).cast(pl.Int8).alias("decision"),
    )
    found: dict[str, Any] = {"reference_rows": reference.height, "rows": arguments.rows}
    calibration = fit_class_calibration(reference, multiclass)
    found["fit_multiclass"] = timed(lambda: fit_class_spread(reference, multiclass, calibration))
    found["fit_multiclass_calibration"] = timed(
        lambda: fit_class_calibration(reference, multiclass)
    )
    calibrator = fit_calibrator(binary_reference, "isotonic")
    found["fit_binary"] = timed(lambda: fit_spread(binary_reference, "isotonic", None, calibrator))
    classes_spread = fit_class_spread(reference, multiclass, calibration)
    binary_spread = fit_spread(binary_reference, "isotonic", None, calibrator)
    batches = [rows(BATCH, arguments.classes, seed=10 + b) for b in range(arguments.rows // BATCH)]
    binary_batches = [
        b.with_columns(
            (pl.col("label") == 0).cast(pl.Int8).alias("label"),
            (pl.col("decision") == 0).cast(pl.Int8).alias("decision"),
        )
        for b in batches
    ]

    def night_multiclass() -> None:
        for batch in batches:
            measured = measure(batch, multiclass, calibrator, classes=calibration)
            summarize(measured, multiclass)
            stake_sums(measured, multiclass, classes_spread)
            confusion_sums(measured, multiclass)

    def night_binary() -> None:
        for batch in binary_batches:
            measured = measure(batch, binary, calibrator)
            summarize(measured, binary)
            stake_sums(measured, binary, binary_spread)

    found["night_multiclass"] = timed(night_multiclass)
    found["night_binary"] = timed(night_binary)
    for key in ("fit_multiclass", "fit_multiclass_calibration", "fit_binary"):
        print(f"{key:<28} {found[key][0]:7.2f} s wall {found[key][1]:7.2f} s CPU")
    for key in ("night_multiclass", "night_binary"):
        print(f"{key:<28} {found[key][0]:7.2f} s wall {found[key][1]:7.2f} s CPU")
    ratio = found["night_multiclass"][1] / found["night_binary"][1]
    print(f"multiclass / binary CPU: {ratio:.2f}")
    found["cpu_ratio"] = ratio
    if arguments.json:
        arguments.json.write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
