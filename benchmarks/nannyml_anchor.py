"""The anchor a user would pick instead: NannyML on the files of `benchmarks/long_backfill.py`.

    python -m venv /tmp/nannyml && /tmp/nannyml/bin/pip install nannyml statsmodels pyarrow
    uv run python -m benchmarks.long_backfill --keep /tmp/long    # writes the files
    /tmp/nannyml/bin/python benchmarks/nannyml_anchor.py /tmp/long/data

NannyML is not a dependency of Bottomline (it pins its own pandas and scikit-learn), so this
script runs in an environment of its own and imports nothing from Bottomline. It times, with
the data already in memory, what NannyML 0.13 computes of Bottomline's report: realized
business value, its estimate before labels (CBPE) and univariate drift of the model's inputs,
by month. NannyML takes one fixed value per confusion cell, so the case's per-loan amounts are
replaced by the mean loan's (the work is the same; only Bottomline prices each loan).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no network here; nothing to report

import nannyml as nml
import pandas as pd

FEATURES = ["loan_amount", "car_value", "salary_range", "debt_to_income_ratio",
            "employment_type", "age", "credit_history_years", "region"]  # fmt: skip
CATEGORICAL = ["salary_range", "employment_type", "region"]


def main(folder: Path) -> None:
    started = time.perf_counter()
    predictions = pd.read_parquet(folder / "predictions.parquet")
    outcomes = pd.read_parquet(folder / "outcomes.parquet", columns=["id", "repaid"])
    analysis = predictions.merge(outcomes, on="id", how="left")
    analysis["timestamp"] = analysis["timestamp"].dt.tz_localize(None)
    reference = pd.read_parquet(folder / "reference.parquet")
    first = analysis["timestamp"].min()
    reference["timestamp"] = first - pd.to_timedelta(
        range(len(reference), 0, -1), unit="s"
    )  # NannyML chunks the reference by time too
    for column in CATEGORICAL:
        analysis[column] = analysis[column].astype("category")
        reference[column] = reference[column].astype("category")
    loaded = time.perf_counter()
    print(f"loaded {len(analysis):,} predictions in {loaded - started:.1f} s", flush=True)

    mean_loan = float(reference["loan_amount"].mean())
    value = [[0.0, -0.35 * mean_loan], [0.0, 0.06 * mean_loan]]  # [[TN, FP], [FN, TP]]
    common = {
        "y_pred_proba": "y_pred_proba",
        "y_pred": "y_pred",
        "y_true": "repaid",
        "timestamp_column_name": "timestamp",
        "problem_type": "classification_binary",
        "chunk_period": "M",
    }
    seconds = {}
    stage = time.perf_counter()
    realized = nml.PerformanceCalculator(
        metrics=["business_value"], business_value_matrix=value, **common
    )
    realized.fit(reference)
    realized.calculate(analysis[analysis["repaid"].notna()])
    seconds["realized business value"] = time.perf_counter() - stage
    stage = time.perf_counter()
    estimated = nml.CBPE(metrics=["business_value"], business_value_matrix=value, **common)
    estimated.fit(reference)
    estimated.estimate(analysis)
    seconds["CBPE estimate"] = time.perf_counter() - stage
    stage = time.perf_counter()
    drift = nml.UnivariateDriftCalculator(
        column_names=FEATURES,
        timestamp_column_name="timestamp",
        continuous_methods=["kolmogorov_smirnov", "jensen_shannon"],
        categorical_methods=["chi2", "jensen_shannon"],
        chunk_period="M",
    )
    drift.fit(reference)
    drift.calculate(analysis)
    seconds["univariate drift"] = time.perf_counter() - stage
    for name, value_seconds in seconds.items():
        print(f"| {name} | {value_seconds:.1f} |")
    print(f"| **NannyML compute, data in memory** | **{sum(seconds.values()):.1f}** |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
