"""Demo data: a car-loan approval model in production, written as a logger would write it.

Deterministic for a given seed and end date. Each applicant's true repayment probability comes
from a known formula; the production model (champion `v1`, challenger `v2` on a share of
traffic) sees it through noise, so its scores need calibration. From `drift_start` on, a new
broker channel brings applicants with higher debt-to-income ratios, above the level where the
true risk rises faster than the model learned: fewer loans are worth making (mix effect) and
the ones made repay less often than the scores promise (performance effect).

Files: `predictions/date=YYYY-MM-DD/part-0.parquet` by UTC day of the prediction,
`outcomes/date=YYYY-MM-DD/part-0.parquet` by day the outcome arrived (only those arrived by the
end date), and `reference.parquet` (labelled, pre-drift). `DemoTruth` holds what the pipeline
must recover.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from bottomline.demo.dirt import spoil_labels, spoil_predictions

ZONE = ZoneInfo("Europe/Berlin")
THRESHOLD = 0.85
# Value rules of models/car_loans.yaml, in EUR per loan application.
INTEREST_MARGIN = 0.06  # true positive: approved and repaid earns this share of the loan
LOSS_GIVEN_DEFAULT = 0.35  # false positive: approved and defaulted loses this share
DRIFT_FEATURE = "debt_to_income_ratio"
SALARY_RANGES = ["<30k", "30-50k", "50-80k", "80k+"]
EMPLOYMENT = ["employed", "self_employed", "contractor", "retired"]
REGIONS = ["north", "south", "east", "west", "central"]


@dataclass(frozen=True)
class DemoTruth:
    """What the generated data holds, for tests to check the pipeline against (EUR)."""

    start: dt.date
    end: dt.date
    predictions: int
    matured: int  # predictions whose outcome arrived by `end`
    realized_value: float  # value of matured predictions under the case's value rules
    drift_feature: str
    drift_start: dt.date
    true_value_per_prediction_before: float  # under the true repayment probability
    true_value_per_prediction_after: float
    daily_realized: dict[dt.date, float]
    broken_predictions: int = 0  # rows spoiled so that validation must set them aside
    resent_predictions: int = 0  # rows written twice (the earlier copy is set aside)
    unseen_categories: int = 0  # rows with a region the reference never saw (loaded, warned)
    bad_labels: int = 0  # outcome rows with a label that is not 0 or 1


@dataclass(frozen=True)
class DemoSettings:
    end: dt.date
    days: int = 120
    predictions_per_day: int = 2000
    drift_after_days: int = 100  # drift starts on day number `drift_after_days` (0-based)
    challenger_share: float = 0.2
    never_matures_share: float = 0.04
    reference_rows: int = 300_000
    seed: int = 7
    dirty_share: float = 0.0  # share of rows spoiled as real logs are (see demo_dirt)

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)

    @property
    def drift_start(self) -> dt.date:
        return self.start + dt.timedelta(days=self.drift_after_days)


def generate_demo(folder: Path, settings: DemoSettings) -> DemoTruth:
    """Write the demo's files under `folder` and return their ground truth."""
    rng = np.random.default_rng(settings.seed)
    applications = _applications(rng, settings)
    folder.mkdir(parents=True, exist_ok=True)
    dirt = spoil_predictions(applications, settings.dirty_share, settings.seed + 2)
    _write_by_day(folder / "predictions", dirt.logged, "utc_day", PREDICTION_COLUMNS)
    applications = applications.with_columns(pl.Series("broken", dirt.broken))
    arrived = _arrived_outcomes(applications, settings)
    outcomes, bad_labels = spoil_labels(
        arrived.select("id", "repaid", "observed_at"), settings.dirty_share, settings.seed + 3
    )
    _write_by_day(
        folder / "outcomes",
        outcomes.with_columns(pl.col("observed_at").dt.date().alias("arrival_day")),
        "arrival_day",
        ["id", "repaid", "observed_at"],
    )
    reference = _reference(rng, settings)
    reference.write_parquet(folder / "reference.parquet")
    matured = arrived.filter(~pl.col("broken") & pl.Series(~bad_labels))
    truth = _truth(applications.filter(~pl.col("broken")), matured, settings)
    return dataclasses.replace(
        truth,
        broken_predictions=int(dirt.broken.sum()),
        resent_predictions=dirt.resent,
        unseen_categories=dirt.unseen_categories,
        bad_labels=int(bad_labels.sum()),
    )


def _applications(rng: np.random.Generator, settings: DemoSettings) -> pl.DataFrame:
    day_offsets = np.arange(settings.days)
    weekday = [(settings.start + dt.timedelta(days=int(d))).weekday() for d in day_offsets]
    volume = np.array([settings.predictions_per_day * (0.6 if w >= 5 else 1.08) for w in weekday])
    counts = rng.poisson(volume)
    day_index = np.repeat(day_offsets, counts)
    size = len(day_index)
    seconds = rng.uniform(0, 86400, size)
    local_midnight = np.array(
        [
            dt.datetime.combine(settings.start + dt.timedelta(days=int(d)), dt.time(), ZONE)
            .astimezone(dt.UTC)
            .replace(tzinfo=None)
            for d in day_offsets
        ],
        dtype="datetime64[us]",
    )
    timestamps = local_midnight[day_index] + (seconds * 1e6).astype("timedelta64[us]")
    order = np.argsort(timestamps, kind="stable")
    day_index, timestamps = day_index[order], timestamps[order]
    drifted = day_index >= settings.drift_after_days
    frame = _applicants(rng, size, drifted)
    frame = frame.with_columns(
        pl.Series("id", [f"A{index:09d}" for index in range(size)]),
        pl.Series("timestamp", timestamps).dt.replace_time_zone("UTC"),
        pl.Series("local_day", [settings.start + dt.timedelta(days=int(d)) for d in day_index]),
        pl.Series(
            "model_version",
            np.where(rng.uniform(size=size) < settings.challenger_share, "v2", "v1"),
        ),
    )
    return _score(rng, frame)


def _applicants(rng: np.random.Generator, size: int, drifted: np.ndarray) -> pl.DataFrame:
    """Applicant features; `drifted` rows come partly from the new high-debt channel."""
    salary = rng.choice(4, size, p=[0.25, 0.35, 0.28, 0.12])
    loan_amount = np.round(rng.lognormal(np.log(14000) + 0.25 * salary, 0.45, size), -1)
    loan_to_value = rng.uniform(0.55, 1.0, size)
    debt_to_income = rng.beta(3.0, 9.0, size) + 0.04 * (3 - salary) / 3
    broker = drifted & (rng.uniform(size=size) < 0.35)
    debt_to_income = np.where(broker, debt_to_income + rng.uniform(0.12, 0.3, size), debt_to_income)
    return pl.DataFrame(
        {
            "loan_amount": loan_amount,
            "car_value": np.round(loan_amount / loan_to_value, -1),
            "salary_range": np.array(SALARY_RANGES)[salary],
            "debt_to_income_ratio": np.round(np.clip(debt_to_income, 0.01, 0.95), 4),
            "employment_type": np.array(EMPLOYMENT)[
                rng.choice(4, size, p=[0.62, 0.18, 0.12, 0.08])
            ],
            "age": rng.integers(19, 76, size),
            "credit_history_years": np.round(rng.gamma(2.5, 4.0, size), 1),
            "region": np.array(REGIONS)[rng.choice(5, size, p=[0.22, 0.24, 0.18, 0.2, 0.16])],
        }
    )


def _linear_log_odds(frame: pl.DataFrame) -> np.ndarray:
    """The part of repayment log-odds a well-trained model learns."""
    salary_effect = frame["salary_range"].replace_strict(
        dict(zip(SALARY_RANGES, [-0.6, -0.2, 0.2, 0.5], strict=True)), return_dtype=pl.Float64
    )
    employment_effect = frame["employment_type"].replace_strict(
        dict(zip(EMPLOYMENT, [0.3, -0.2, -0.3, 0.1], strict=True)), return_dtype=pl.Float64
    )
    loan_to_value = frame["loan_amount"] / frame["car_value"]
    log_odds = (
        2.3
        - 5.0 * (frame["debt_to_income_ratio"] - 0.25)
        + 0.05 * (frame["credit_history_years"] - 10)
        + salary_effect
        + employment_effect
        + 0.01 * (frame["age"] - 40)
        - 1.2 * (loan_to_value - 0.8)
    )
    return log_odds.to_numpy()


def true_repay_probability(frame: pl.DataFrame) -> np.ndarray:
    """Probability of repayment: the learned part plus a steep penalty above 40% debt."""
    penalty = 4.0 * np.clip(frame["debt_to_income_ratio"].to_numpy() - 0.4, 0, None)
    return 1.0 / (1.0 + np.exp(-(_linear_log_odds(frame) - penalty)))


def _score(rng: np.random.Generator, frame: pl.DataFrame) -> pl.DataFrame:
    """Model scores (overconfident, noisy; the challenger less noisy), decisions, labels."""
    noise = np.where(frame["model_version"].to_numpy() == "v2", 0.35, 0.55)
    model_log_odds = 1.3 * (_linear_log_odds(frame) + rng.normal(0, 1, len(frame)) * noise)
    score = np.round(1.0 / (1.0 + np.exp(-model_log_odds)), 6)
    true_probability = true_repay_probability(frame)
    return frame.with_columns(
        pl.Series("y_pred_proba", score),
        pl.Series("y_pred", (score >= THRESHOLD).astype(np.int8)),
        pl.Series("repaid", (rng.uniform(size=len(frame)) < true_probability).astype(np.int8)),
        pl.Series("true_probability", true_probability),
    )


PREDICTION_COLUMNS = [
    "id",
    "timestamp",
    "model_version",
    "y_pred_proba",
    "y_pred",
    "loan_amount",
    "car_value",
    "salary_range",
    "debt_to_income_ratio",
    "employment_type",
    "age",
    "credit_history_years",
    "region",
]


def utc_midnights(start: dt.date, first_day: int, days: int) -> np.ndarray:
    """Berlin midnight of days `first_day` .. `first_day + days - 1` (from `start`), as UTC."""
    return np.array(
        [
            dt.datetime.combine(start + dt.timedelta(days=first_day + offset), dt.time(), ZONE)
            .astimezone(dt.UTC)
            .replace(tzinfo=None)
            for offset in range(days)
        ],
        dtype="datetime64[us]",
    )


@dataclass(frozen=True)
class DemoFiles:
    """What one demo model writes, in the car-loan demo's layout: its predictions by UTC day
    of `predicted_at`, its outcomes by UTC day of `arrived_at`, and `reference.parquet` (the
    prediction columns and the outcome column `label`)."""

    predictions: pl.DataFrame
    outcomes: pl.DataFrame
    reference: pl.DataFrame
    predicted_at: str
    arrived_at: str
    prediction_columns: list[str]
    outcome_columns: list[str]
    label: str

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for kind, rows, at, columns in (
            ("predictions", self.predictions, self.predicted_at, self.prediction_columns),
            ("outcomes", self.outcomes, self.arrived_at, self.outcome_columns),
        ):
            dated = rows.with_columns(pl.col(at).dt.date().alias("_utc_day"))
            _write_by_day(folder / kind, dated, "_utc_day", columns)
        self.reference.select([*self.prediction_columns, self.label]).write_parquet(
            folder / "reference.parquet"
        )


def _write_by_day(folder: Path, rows: pl.DataFrame, day_column: str, columns: list[str]) -> None:
    """One Parquet file per day, in hive-style folders (date=YYYY-MM-DD/part-0.parquet)."""
    for (day,), part in rows.group_by(day_column, maintain_order=True):
        target = folder / f"date={day}"
        target.mkdir(parents=True, exist_ok=True)
        part.select(columns).write_parquet(target / "part-0.parquet")


def _arrived_outcomes(applications: pl.DataFrame, settings: DemoSettings) -> pl.DataFrame:
    """The applications whose outcome arrived by the end date, with when it arrived."""
    rng = np.random.default_rng(settings.seed + 1)
    size = len(applications)
    delay_days = 1 + rng.gamma(2.0, 5.0, size)
    never = rng.uniform(size=size) < settings.never_matures_share
    observed_at = applications["timestamp"] + pl.Series(
        (delay_days * 86400e6).astype("timedelta64[us]")
    )
    return (
        applications.with_columns(observed_at.alias("observed_at"))
        .filter(
            pl.Series(~never)
            & (pl.col("observed_at").dt.convert_time_zone(str(ZONE)).dt.date() <= settings.end)
        )
        .sort("observed_at")
    )


def _reference(rng: np.random.Generator, settings: DemoSettings) -> pl.DataFrame:
    """Labelled validation data from before the drift, with the production columns."""
    size = settings.reference_rows
    frame = _applicants(rng, size, np.zeros(size, dtype=bool)).with_columns(
        pl.Series("model_version", np.where(rng.uniform(size=size) < 0.5, "v2", "v1"))
    )
    return _score(rng, frame).select(
        [column for column in PREDICTION_COLUMNS if column not in ("id", "timestamp")] + ["repaid"]
    )


def case_value(frame: pl.DataFrame, repaid: pl.Series | np.ndarray) -> np.ndarray:
    """Value of each application in EUR under the demo case's rules, given its outcome."""
    approved = frame["y_pred"].to_numpy() == 1
    loan = frame["loan_amount"].to_numpy()
    repaid_values = np.where(approved, INTEREST_MARGIN * loan, 0.0)
    default_values = np.where(approved, -LOSS_GIVEN_DEFAULT * loan, 0.0)
    outcome = np.asarray(repaid, dtype=float)
    values: np.ndarray = outcome * repaid_values + (1 - outcome) * default_values
    return values


def _truth(
    applications: pl.DataFrame,
    arrived: pl.DataFrame,
    settings: DemoSettings,
) -> DemoTruth:
    arrived_value = case_value(arrived, arrived["repaid"])
    daily = (
        arrived.select("local_day")
        .with_columns(pl.Series("value", arrived_value))
        .group_by("local_day")
        .agg(pl.col("value").sum().round(2))  # whole cents: the same whatever the sum order
        .sort("local_day")
    )
    true_value = case_value(applications, applications["true_probability"])
    after = (applications["local_day"] >= settings.drift_start).to_numpy()
    return DemoTruth(
        start=settings.start,
        end=settings.end,
        predictions=len(applications),
        matured=len(arrived),
        realized_value=float(arrived_value.sum()),
        drift_feature=DRIFT_FEATURE,
        drift_start=settings.drift_start,
        true_value_per_prediction_before=float(true_value[~after].mean()),
        true_value_per_prediction_after=float(true_value[after].mean())
        if after.any()
        else float("nan"),  # no drift in the window
        daily_realized=dict(
            zip(daily["local_day"].to_list(), daily["value"].to_list(), strict=True)
        ),
    )
