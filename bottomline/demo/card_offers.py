"""Demo data: a credit-card offer model in production, a multiclass classifier.

Deterministic for a given seed and end date. Each day about `predictions_per_day` customers ask
for a card (between 09:00 and 20:00, Berlin time). The card that suits a customer is drawn from
true probabilities, a softmax of logits linear in the features (premium likelier with income and
spend, travel with age 30-55 and spend, cashback otherwise). The model (`v2`) sees those logits
scaled by 1.3 and with a little noise, so its scores are over-confident but rank well; the bank
offers the card with the highest score. Whether the customer took it up (`card_taken`, the label)
is known 1 to 14 days after the offer; a share of offers never gets a decision. The value of an
offer (EUR over the card's first year) is the matrix of models/card_offers.yaml.

Planted change, from day number `settings.drift_after_days` (0-based) on: online customers'
true logits move by `CHANGE_SHIFT`, unseen by the model: far more of them now want the travel
card and fewer the cashback card (a concept change: the cashback offers made to them, the most
common there, realize a travel taker's little instead, so realized value falls below what the
scores promise, concentrated in channel "online"), and online customers are 14 years younger
(an input drift on `age`, which the model does see).

Files, in the car-loan demo's layout: `predictions/date=YYYY-MM-DD/part-0.parquet` by UTC day of
the offer, `outcomes/date=YYYY-MM-DD/part-0.parquet` by UTC day of the decision (only those
decided by the end date), and `reference.parquet` (labelled, from the four weeks before the first
day). Of `DemoSettings`, `end`, `days`, `predictions_per_day`, `drift_after_days`,
`never_matures_share`, `reference_rows` (at most 30,000 are written) and `seed` apply; there is
no challenger and no dirt. `CardOfferTruth` holds what the pipeline must recover.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from bottomline.demo.data import REGIONS, ZONE, DemoFiles, DemoSettings, utc_midnights

MODEL_VERSION = "v2"
CLASSES = ["cashback", "travel", "premium"]
CHANNELS = ["branch", "online", "partner"]
CHANNEL_SHARES = [0.3, 0.5, 0.2]
REGION_SHARES = [0.22, 0.24, 0.18, 0.2, 0.16]
AGE_MEAN = np.array([52.0, 38.0, 45.0])  # years, by channel
AGE_SPREAD = np.array([14.0, 12.0, 13.0])  # years, by channel
MEDIAN_INCOME = 42_000.0  # EUR per year, at age 40
SPEND_SHARE = 0.22  # median monthly card spend, as a share of monthly income
OPEN_HOUR, CLOSE_HOUR = 9, 20  # offers are made between these hours, Berlin time
DECISION_DAYS = (1.0, 14.0)  # a decision is known this many days after the offer
OVER_CONFIDENCE = 1.3  # the model's logits against the true ones
SCORE_NOISE = 0.3  # standard deviation of the model's logit error
CHANGED_SEGMENT = "online"
SEGMENT_COLUMN = "channel"
# added to online customers' true logits (cashback, travel, premium) after the change: those
# far more of them want the travel card, fewer the cashback card
CHANGE_SHIFT = np.array([-1.5, 1.5, 0.0])
DRIFT_FEATURE = "age"
AGE_SHIFT = -14.0  # years added to online customers' age after the change
MIN_AGE, MAX_AGE = 18, 80
REFERENCE_ROWS = 30_000
REFERENCE_DAYS = 28  # the reference samples the four weeks before the first day

# The value matrix of models/card_offers.yaml, value[taken][offered] in EUR per offer:
# FIXED + YEARLY_SPEND_RATE * 12 * monthly_spend.
FIXED = np.array([[0.0, -15.0, -40.0], [-10.0, 45.0, -25.0], [-10.0, 20.0, 95.0]])
YEARLY_SPEND_RATE = np.array([[0.004, 0.0, 0.0], [0.002, 0.006, 0.0], [0.002, 0.004, 0.008]])

PREDICTION_COLUMNS = [
    "offer_id",
    "offered_at",
    "p_cashback",
    "p_travel",
    "p_premium",
    "card_offered",
    "model_version",
    "age",
    "income",
    "channel",
    "region",
    "monthly_spend",
]
OUTCOME_COLUMNS = ["offer_id", "card_taken", "decided_at"]


@dataclass(frozen=True)
class CardOfferTruth:
    """What the generated data holds, for tests to check the pipeline against (EUR)."""

    start: dt.date
    end: dt.date
    predictions: int
    matured: int  # offers whose decision was known by `end`
    realized_value: float  # value of the matured offers under the case's value matrix
    daily_realized: dict[dt.date, float]  # the same, by (Berlin) day of the offer, in cents
    confusion: dict[tuple[str, str], int]  # (taken, offered) -> matured offers, all 9 pairs
    change_start: dt.date  # first day of the planted change (after `end`: no change)
    changed_segment: str  # the `segment_column` value whose true logits move
    segment_column: str
    drift_feature: str
    drift_shift: float  # years added to the changed segment's `drift_feature` from the change


def offer_value(taken: np.ndarray, offered: np.ndarray, monthly_spend: np.ndarray) -> np.ndarray:
    """EUR per offer over the card's first year; `taken`, `offered` index into CLASSES."""
    rate = YEARLY_SPEND_RATE[taken, offered]
    value: np.ndarray = FIXED[taken, offered] + rate * 12 * monthly_spend
    return value


def generate_card_offer_demo(folder: Path, settings: DemoSettings) -> CardOfferTruth:
    """Write the card-offer demo's files under `folder` and return their ground truth."""
    rng = np.random.default_rng(settings.seed)
    window_days = np.repeat(
        np.arange(settings.days), rng.poisson(settings.predictions_per_day, settings.days)
    )
    offers = _offers(rng, window_days, settings)
    reference_size = min(settings.reference_rows, REFERENCE_ROWS)
    reference = _offers(rng, np.sort(rng.integers(-REFERENCE_DAYS, 0, reference_size)), settings)
    decided = _decided(offers, settings)
    DemoFiles(
        offers,
        decided,
        reference,
        "offered_at",
        "decided_at",
        PREDICTION_COLUMNS,
        OUTCOME_COLUMNS,
        "card_taken",
    ).write(folder)
    return _truth(offers, decided, settings)


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of an (n, classes) array; each row sums to 1."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probabilities


def _logits(
    age: np.ndarray, income: np.ndarray, spend: np.ndarray, online: np.ndarray
) -> np.ndarray:
    """The true logits (cashback, travel, premium) before the change, as the model learned them."""
    log_spend = np.log(spend / 700.0)
    cashback = 0.3 + 0.3 * online
    travel = -0.7 + 1.2 * np.exp(-(((age - 42.5) / 11.0) ** 2)) + 0.8 * log_spend
    premium = -0.5 + 1.6 * np.log(income / 50_000.0) + 0.6 * log_spend
    return np.column_stack([cashback, travel, premium])


def _offers(rng: np.random.Generator, day: np.ndarray, settings: DemoSettings) -> pl.DataFrame:
    """Offers on (sorted) `day`s counted from the first day, with features, scores and label."""
    size = len(day)
    first_day = int(day.min()) if size else 0
    days = int(day.max()) - first_day + 1 if size else 0
    midnights = utc_midnights(settings.start, first_day, days)
    seconds = rng.uniform(OPEN_HOUR * 3600, CLOSE_HOUR * 3600, size)
    offered_at = midnights[day - first_day] + (seconds * 1e6).astype("timedelta64[us]")
    order = np.argsort(offered_at, kind="stable")
    day, offered_at = day[order], offered_at[order]

    channel = rng.choice(len(CHANNELS), size, p=CHANNEL_SHARES)
    changed = (day >= settings.drift_after_days) & (channel == CHANNELS.index(CHANGED_SEGMENT))
    age_years = rng.normal(AGE_MEAN[channel], AGE_SPREAD[channel]) + AGE_SHIFT * changed
    age = np.clip(np.round(age_years), MIN_AGE, MAX_AGE).astype(np.int64)
    income_trend = 0.015 * (np.minimum(age, 60) - 40)  # log-income per year of age, to 60
    income = np.round(rng.lognormal(np.log(MEDIAN_INCOME) + income_trend, 0.45), -2)
    spend = np.round(income / 12 * rng.lognormal(np.log(SPEND_SHARE), 0.45, size), 2)

    learned = _logits(age, income, spend, channel == CHANNELS.index(CHANGED_SEGMENT))
    true_logits = learned + np.outer(changed, CHANGE_SHIFT)
    cumulative = np.cumsum(_softmax(true_logits), axis=1)
    taken = np.minimum((rng.uniform(size=size)[:, None] >= cumulative).sum(axis=1), 2)
    scores = _softmax(OVER_CONFIDENCE * learned + rng.normal(0.0, SCORE_NOISE, (size, 3)))
    offered = scores.argmax(axis=1)
    rank = np.arange(size) - np.searchsorted(day, day, side="left")  # within the day
    frame = pl.DataFrame(
        {
            "day": day,
            "local_day": np.datetime64(settings.start, "D") + day,
            "rank": rank,
            "offered_at": offered_at,
            "p_cashback": scores[:, 0],
            "p_travel": scores[:, 1],
            "p_premium": scores[:, 2],
            "offered": offered,
            "card_offered": pl.Series(CLASSES).gather(offered),
            "age": age,
            "income": income,
            "channel": pl.Series(CHANNELS).gather(channel),
            "region": pl.Series(REGIONS).gather(rng.choice(len(REGIONS), size, p=REGION_SHARES)),
            "monthly_spend": spend,
            "taken": taken,
            "card_taken": pl.Series(CLASSES).gather(taken),
        }
    )
    return frame.with_columns(
        pl.col("offered_at").dt.replace_time_zone("UTC"),
        pl.lit(MODEL_VERSION).alias("model_version"),
        pl.format(
            "O{}-{}",
            pl.col("local_day").dt.strftime("%Y%m%d"),
            pl.col("rank").cast(pl.String).str.zfill(5),
        ).alias("offer_id"),
    )


def _decided(offers: pl.DataFrame, settings: DemoSettings) -> pl.DataFrame:
    """The offers whose decision was known by the end date (Berlin), with when."""
    rng = np.random.default_rng(settings.seed + 1)
    size = len(offers)
    lag = rng.uniform(DECISION_DAYS[0] * 86400e6, DECISION_DAYS[1] * 86400e6, size)
    never = rng.uniform(size=size) < settings.never_matures_share
    decided_at = offers["offered_at"] + pl.Series(lag.astype("timedelta64[us]"))
    return (
        offers.with_columns(decided_at.alias("decided_at"))
        .filter(
            pl.Series(~never)
            & (pl.col("decided_at").dt.convert_time_zone(str(ZONE)).dt.date() <= settings.end)
        )
        .sort("decided_at", maintain_order=True)
    )


def _truth(offers: pl.DataFrame, decided: pl.DataFrame, settings: DemoSettings) -> CardOfferTruth:
    """Values recomputed in numpy from the value matrix, over the offers decided by the end."""
    taken, offered = decided["taken"].to_numpy(), decided["offered"].to_numpy()
    value = offer_value(taken, offered, decided["monthly_spend"].to_numpy())
    day = decided["day"].to_numpy()
    daily = np.bincount(day, weights=value, minlength=settings.days)
    pairs = np.bincount(taken * len(CLASSES) + offered, minlength=len(CLASSES) ** 2)
    return CardOfferTruth(
        start=settings.start,
        end=settings.end,
        predictions=len(offers),
        matured=len(decided),
        realized_value=float(value.sum()),
        daily_realized={
            settings.start + dt.timedelta(days=int(d)): round(float(daily[d]), 2)
            for d in np.unique(day)
        },
        confusion={
            (actual, chosen): int(pairs[i * len(CLASSES) + j])
            for i, actual in enumerate(CLASSES)
            for j, chosen in enumerate(CLASSES)
        },
        change_start=settings.drift_start,
        changed_segment=CHANGED_SEGMENT,
        segment_column=SEGMENT_COLUMN,
        drift_feature=DRIFT_FEATURE,
        drift_shift=AGE_SHIFT,
    )
