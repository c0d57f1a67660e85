"""Realistic dirt for the demo: what production logs really contain, in a known share.

Of the prediction rows chosen (`share` of all), each is spoiled in one of five ways a
validation must catch: no id, a NaN score, a score above 1, no timestamp, no loan amount.
Half as many rows again are re-sent in the next day's file (a logger retrying), and half as many
carry a region the reference never saw. Of the outcome rows, `share` get the label 2. A separate
random stream is used, so the clean rows are the same with or without dirt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

SPOILS = ["no_id", "nan_score", "score_above_1", "no_timestamp", "no_loan_amount"]
UNSEEN_REGION = "offshore"


@dataclass(frozen=True)
class PredictionDirt:
    logged: pl.DataFrame  # rows as written, re-sent copies included
    broken: np.ndarray  # per application: spoiled so that validation must set it aside
    resent: int  # rows written twice
    unseen_categories: int


def spoil_predictions(applications: pl.DataFrame, share: float, seed: int) -> PredictionDirt:
    """The applications as a logger with problems writes them (`utc_day` says which file)."""
    rng = np.random.default_rng(seed)
    size = len(applications)
    logged = applications.with_columns(pl.col("timestamp").dt.date().alias("utc_day"))
    broken = np.zeros(size, dtype=bool)
    if share <= 0:
        return PredictionDirt(logged, broken, 0, 0)
    chosen = rng.choice(size, size=round(share * size), replace=False)
    broken[chosen] = True
    kind = np.full(size, "", dtype=object)
    kind[chosen] = [SPOILS[number % len(SPOILS)] for number in range(len(chosen))]
    spoil = pl.Series("spoil", kind, dtype=pl.String)
    logged = (
        logged.with_columns(spoil)
        .with_columns(
            pl.when(pl.col("spoil") == "no_id").then(None).otherwise(pl.col("id")).alias("id"),
            pl.when(pl.col("spoil") == "nan_score")
            .then(float("nan"))
            .when(pl.col("spoil") == "score_above_1")
            .then(pl.col("y_pred_proba") + 1.0)
            .otherwise(pl.col("y_pred_proba"))
            .alias("y_pred_proba"),
            pl.when(pl.col("spoil") == "no_timestamp")
            .then(None)
            .otherwise(pl.col("timestamp"))
            .alias("timestamp"),
            pl.when(pl.col("spoil") == "no_loan_amount")
            .then(None)
            .otherwise(pl.col("loan_amount"))
            .alias("loan_amount"),
        )
        .drop("spoil")
    )
    clean = np.flatnonzero(~broken)
    extra = max(1, len(chosen) // 2)
    unseen = rng.choice(clean, size=extra, replace=False)
    logged = logged.with_columns(
        pl.when(pl.Series(np.isin(np.arange(size), unseen)))
        .then(pl.lit(UNSEEN_REGION))
        .otherwise(pl.col("region"))
        .alias("region")
    )
    resent = logged[rng.choice(clean, size=extra, replace=False).tolist()].with_columns(
        (pl.col("utc_day") + pl.duration(days=1)).clip(upper_bound=pl.lit(logged["utc_day"].max()))
    )
    return PredictionDirt(pl.concat([logged, resent]), broken, extra, extra)


def spoil_labels(
    outcomes: pl.DataFrame, share: float, seed: int
) -> tuple[pl.DataFrame, np.ndarray]:
    """Outcomes with `share` of labels set to 2; returns them and which rows were spoiled."""
    rng = np.random.default_rng(seed)
    bad = np.zeros(len(outcomes), dtype=bool)
    if share > 0 and len(outcomes):
        bad[rng.choice(len(outcomes), size=round(share * len(outcomes)), replace=False)] = True
    spoiled = outcomes.with_columns(
        pl.when(pl.Series(bad)).then(2).otherwise(pl.col("repaid")).cast(pl.Int8).alias("repaid")
    )
    return spoiled, bad
