"""Demo data: a store demand forecast in production, a regression model whose forecast sets stock.

Deterministic for a given seed and end date. Every morning the model (`v3`) forecasts, for each
store and product, how many units the store will sell that day; the store stocks that many. The
true demand of a (store, product, day) is gamma-Poisson around a known mean that depends on the
store's format and size, the product, the day of the week, a promotion (and its price cut) and
the temperature; the model sees that mean through noise, without bias. Every unit sold earns the
product's `unit_margin`, every unit stocked and not sold costs its `unit_cost` (waste for fresh
goods, holding cost for the rest); all amounts are EUR.

Planted change, from day number `settings.drift_after_days` (0-based) on: the model forecasts
express stores' demand 20% too high (their over-stock, and so their waste, grows: realized value
falls below what the forecasts promise), and a heat wave lifts every store's temperature by
6 deg C (an input drift; the model sees the temperature, so it forecasts the heat's own effect
correctly).

Files, in the car-loan demo's layout: `predictions/date=YYYY-MM-DD/part-0.parquet` by UTC day of
the forecast, `outcomes/date=YYYY-MM-DD/part-0.parquet` by UTC day the count arrived (only those
arrived by the end date: a day's sales are counted the next morning or up to two days later),
and `reference.parquet` (labelled, from the four weeks before the first day). Of `DemoSettings`,
`end`, `days`, `predictions_per_day`, `drift_after_days`, `reference_rows` (at most 30,000 are
written) and `seed` apply; there is no challenger, no dirt, and every count arrives in the end.
`DemandTruth` holds what the pipeline must recover.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl

from bottomline.demo.data import REGIONS, DemoFiles, DemoSettings, utc_midnights

MODEL_VERSION = "v3"
STORE_FORMATS = ["hypermarket", "supermarket", "express"]
FORMAT_SHARES = [0.2, 0.45, 0.35]  # of the stores
FORMAT_SIZE = np.array([2.6, 1.0, 0.45])  # demand against a typical supermarket's
FORMAT_PRICE_LEVEL = np.array([0.97, 1.0, 1.05])  # shelf price against the list price
REGION_SHARES = [0.22, 0.24, 0.18, 0.2, 0.16]
REGION_WARMTH = np.array([-2.0, 2.5, 0.5, 0.0, 1.0])  # deg C against the mean, by region
MEAN_TEMPERATURE = 17.0  # deg C
WEEKDAY_LIFT = np.array([0.95, 0.92, 0.95, 1.0, 1.15, 1.35, 0.6])  # Monday .. Sunday
PROMOTION_SHARE = 0.1  # of (store, product, day)
DISCOUNTS = np.array([0.15, 0.25, 0.35])  # of the shelf price, in a promotion
PRICE_ELASTICITY = -1.5
PROMOTION_DISPLAY_LIFT = 1.2  # extra demand from the promotion's display, beyond its price
SUPPLIER_FUNDED = 0.5  # share of a promotion's discount the supplier pays back
MINIMUM_MARGIN = 0.05  # EUR per unit: a deep promotion on a thin margin still earns this
DEMAND_DISPERSION = 20.0  # gamma shape of the demand's mean: smaller is noisier
FORECAST_NOISE = 0.12  # standard deviation of the model's log error
FORECAST_HOUR = 4  # the nightly batch writes its forecasts between 04:00 and 05:00, Berlin
COUNT_HOUR = 6  # a day's sales are counted between 06:00 and 09:00 of a later morning
COUNT_LAG_SHARES = [0.6, 0.3, 0.1]  # counted 1, 2 or 3 days after the forecast day
CHANGED_SEGMENT = "express"
SEGMENT_COLUMN = "store_format"
FORECAST_BIAS = 0.2  # express stores' forecasts are this share too high after the change
DRIFT_FEATURE = "temperature"
HEAT_WAVE = 6.0  # deg C added to every temperature after the change
REFERENCE_ROWS = 30_000
REFERENCE_DAYS = 28  # the reference samples the four weeks before the first day


class Product(NamedTuple):
    """One product of the assortment; prices and costs in EUR per unit."""

    name: str
    list_price: float
    units_per_day: float  # mean daily demand at a typical supermarket on a plain day
    purchase_cost: float
    waste_share: float  # of the purchase cost lost on a unit stocked and not sold
    heat_effect: float  # log-demand per deg C above the mean temperature


PRODUCTS = (
    Product("bread loaf", 2.49, 30, 1.79, 1.0, -0.02),
    Product("bread rolls 6-pack", 1.99, 40, 1.45, 1.0, -0.02),
    Product("milk 1 l", 1.19, 45, 0.99, 0.8, -0.02),
    Product("yoghurt", 0.79, 35, 0.59, 0.8, 0.01),
    Product("strawberries 500 g", 2.99, 18, 2.19, 1.0, 0.04),
    Product("salad mix", 1.79, 20, 1.29, 1.0, 0.03),
    Product("bananas 1 kg", 1.49, 30, 1.09, 0.7, 0.0),
    Product("ready meal", 3.99, 12, 2.89, 1.0, -0.04),
    Product("ice cream", 3.49, 10, 2.29, 0.05, 0.06),
    Product("mineral water 6 x 1.5 l", 3.29, 25, 2.49, 0.03, 0.04),
    Product("beer 6-pack", 5.49, 15, 3.99, 0.03, 0.03),
    Product("coffee 500 g", 6.99, 8, 5.19, 0.02, -0.03),
)
HANDLING_COST = 0.02  # EUR per unit stocked and not sold, on top of its waste

PREDICTION_COLUMNS = [
    "forecast_id",
    "forecast_at",
    "forecast_units",
    "model_version",
    "store_format",
    "region",
    "price",
    "promotion",
    "temperature",
    "day_of_week",
    "unit_margin",
    "unit_cost",
]
OUTCOME_COLUMNS = ["forecast_id", "units_sold", "counted_at"]


@dataclass(frozen=True)
class DemandTruth:
    """What the generated data holds, for tests to check the pipeline against (EUR)."""

    start: dt.date
    end: dt.date
    stores: int
    products: int
    predictions: int
    matured: int  # forecasts whose count arrived by `end`
    realized_value: float  # value of the matured forecasts under the case's value rule
    daily_realized: dict[dt.date, float]  # the same, by (Berlin) day of the forecast, in cents
    change_start: dt.date  # first day of the planted change (after `end`: no change)
    changed_segment: str  # the `segment_column` value whose forecasts turn biased
    segment_column: str
    forecast_bias: float  # the changed segment's forecasts are this share too high
    lost_to_change: float  # matured forecasts' value had none been biased, minus realized
    drift_feature: str
    drift_shift: float  # deg C added to `drift_feature` from `change_start`


@dataclass(frozen=True)
class Stores:
    """The chain's stores: a format and region (indices into their lists) and a size factor."""

    store_format: np.ndarray
    region: np.ndarray
    size: np.ndarray  # demand against a typical supermarket's

    def __len__(self) -> int:
        return len(self.size)


@dataclass(frozen=True)
class Rows:
    """Which (day, store, product) each forecast is for; days count from the first day."""

    day: np.ndarray
    store: np.ndarray
    product: np.ndarray


def forecast_value(
    forecast_units: np.ndarray,
    units_sold: np.ndarray,
    unit_margin: np.ndarray,
    unit_cost: np.ndarray,
) -> np.ndarray:
    """EUR per forecast, with stock = forecast: margin on what sold, cost of what did not."""
    sold = np.minimum(forecast_units, units_sold)
    left_over = np.maximum(forecast_units - units_sold, 0.0)
    value: np.ndarray = unit_margin * sold - unit_cost * left_over
    return value


def generate_demand_demo(folder: Path, settings: DemoSettings) -> DemandTruth:
    """Write the demand demo's files under `folder` and return their ground truth."""
    rng = np.random.default_rng(settings.seed)
    stores = _stores(rng, max(1, round(settings.predictions_per_day / len(PRODUCTS))))
    forecasts = _forecasts(rng, stores, _window_rows(len(stores), settings.days), settings)
    reference = _forecasts(rng, stores, _reference_rows(rng, len(stores), settings), settings)
    counted = _counted(forecasts, settings)
    DemoFiles(
        forecasts,
        counted,
        reference,
        "forecast_at",
        "counted_at",
        PREDICTION_COLUMNS,
        OUTCOME_COLUMNS,
        "units_sold",
    ).write(folder)
    return _truth(forecasts, counted, len(stores), settings)


def _stores(rng: np.random.Generator, count: int) -> Stores:
    """`count` stores, formats in their shares (stratified, then shuffled), regions at random."""
    position = (np.arange(count) + 0.5) / count
    store_format = rng.permutation(np.searchsorted(np.cumsum(FORMAT_SHARES), position))
    return Stores(
        store_format=store_format,
        region=rng.choice(len(REGIONS), count, p=REGION_SHARES),
        size=FORMAT_SIZE[store_format] * rng.lognormal(0.0, 0.25, count),
    )


def _window_rows(stores: int, days: int) -> Rows:
    """Every (day, store, product) of the window, day by day."""
    per_day = stores * len(PRODUCTS)
    flat = np.arange(days * per_day)
    return _decode(flat, stores, first_day=0)


def _reference_rows(rng: np.random.Generator, stores: int, settings: DemoSettings) -> Rows:
    """A random sample of the (day, store, product) of the weeks before the first day."""
    size = min(settings.reference_rows, REFERENCE_ROWS)
    per_day = stores * len(PRODUCTS)
    days = max(REFERENCE_DAYS, math.ceil(size / per_day))
    flat = np.sort(rng.choice(days * per_day, size=size, replace=False))
    return _decode(flat, stores, first_day=-days)


def _decode(flat: np.ndarray, stores: int, first_day: int) -> Rows:
    per_day = stores * len(PRODUCTS)
    return Rows(
        day=flat // per_day + first_day,
        store=flat % per_day // len(PRODUCTS),
        product=flat % len(PRODUCTS),
    )


def _temperatures(
    rng: np.random.Generator, stores: Stores, first_day: int, days: int, settings: DemoSettings
) -> np.ndarray:
    """Deg C by (day, store): the region's weather that day, the store's own, the heat wave."""
    regional = MEAN_TEMPERATURE + REGION_WARMTH + rng.normal(0.0, 2.0, (days, len(REGIONS)))
    local = regional[:, stores.region] + rng.normal(0.0, 1.5, (days, len(stores)))
    heat = np.arange(first_day, first_day + days) >= settings.drift_after_days
    return np.round(local + HEAT_WAVE * heat[:, None], 1)


def _forecasts(
    rng: np.random.Generator, stores: Stores, rows: Rows, settings: DemoSettings
) -> pl.DataFrame:
    """The forecasts of `rows` with their features, value inputs and (hidden) true demand."""
    size = len(rows.day)
    first_day = int(rows.day.min())
    days = int(rows.day.max()) - first_day + 1
    day = rows.day - first_day
    store_format = stores.store_format[rows.store]
    list_price = np.array([product.list_price for product in PRODUCTS])[rows.product]
    purchase_cost = np.array([product.purchase_cost for product in PRODUCTS])[rows.product]
    waste_share = np.array([product.waste_share for product in PRODUCTS])[rows.product]
    units_per_day = np.array([product.units_per_day for product in PRODUCTS])[rows.product]
    heat_effect = np.array([product.heat_effect for product in PRODUCTS])[rows.product]

    temperature = _temperatures(rng, stores, first_day, days, settings)[day, rows.store]
    weekday = (settings.start.weekday() + rows.day) % 7  # 0 = Monday
    promotion = rng.uniform(size=size) < PROMOTION_SHARE
    discount = np.where(promotion, DISCOUNTS[rng.integers(0, len(DISCOUNTS), size)], 0.0)
    shelf_price = list_price * FORMAT_PRICE_LEVEL[store_format]
    price = np.round(shelf_price * (1.0 - discount), 2)
    margin = price - purchase_cost + SUPPLIER_FUNDED * discount * shelf_price
    unit_margin = np.round(np.maximum(margin, MINIMUM_MARGIN), 2)
    unit_cost = np.round(
        waste_share * (purchase_cost - SUPPLIER_FUNDED * discount * shelf_price) + HANDLING_COST,
        2,
    )

    mean_demand = (
        units_per_day
        * stores.size[rows.store]
        * WEEKDAY_LIFT[weekday]
        * np.where(promotion, (1.0 - discount) ** PRICE_ELASTICITY * PROMOTION_DISPLAY_LIFT, 1.0)
        * np.exp(heat_effect * (temperature - MEAN_TEMPERATURE))
    )
    units_sold = rng.poisson(rng.gamma(DEMAND_DISPERSION, mean_demand / DEMAND_DISPERSION))
    estimate = mean_demand * rng.lognormal(-(FORECAST_NOISE**2) / 2, FORECAST_NOISE, size)
    changed = (rows.day >= settings.drift_after_days) & (
        store_format == STORE_FORMATS.index(CHANGED_SEGMENT)
    )
    midnights = utc_midnights(settings.start, first_day, days)
    seconds = rng.uniform(FORECAST_HOUR * 3600, (FORECAST_HOUR + 1) * 3600, size)
    frame = pl.DataFrame(
        {
            "day": rows.day,
            "local_day": np.datetime64(settings.start, "D") + rows.day,
            "store": rows.store,
            "product": rows.product,
            "forecast_at": midnights[day] + (seconds * 1e6).astype("timedelta64[us]"),
            "forecast_units": np.round(estimate * np.where(changed, 1.0 + FORECAST_BIAS, 1.0), 1),
            "unbiased_units": np.round(estimate, 1),
            "store_format": pl.Series(STORE_FORMATS).gather(store_format),
            "region": pl.Series(REGIONS).gather(stores.region[rows.store]),
            "price": price,
            "promotion": promotion.astype(np.int8),
            "temperature": temperature,
            "day_of_week": (weekday + 1).astype(np.int8),
            "unit_margin": unit_margin,
            "unit_cost": unit_cost,
            "units_sold": units_sold.astype(np.float64),
        }
    )
    return frame.with_columns(
        pl.col("forecast_at").dt.replace_time_zone("UTC"),
        pl.lit(MODEL_VERSION).alias("model_version"),
        pl.format(
            "F{}-S{}-P{}",
            pl.col("local_day").dt.strftime("%Y%m%d"),
            pl.col("store").cast(pl.String).str.zfill(4),
            pl.col("product").cast(pl.String).str.zfill(2),
        ).alias("forecast_id"),
    ).sort("forecast_at", maintain_order=True)


def _counted(forecasts: pl.DataFrame, settings: DemoSettings) -> pl.DataFrame:
    """The forecasts whose day's sales were counted by the end date, with when."""
    rng = np.random.default_rng(settings.seed + 1)
    size = len(forecasts)
    lag = 1 + rng.choice(len(COUNT_LAG_SHARES), size, p=COUNT_LAG_SHARES)
    count_day = forecasts["day"].to_numpy() + lag
    midnights = utc_midnights(settings.start, 0, settings.days + len(COUNT_LAG_SHARES) + 1)
    seconds = rng.uniform(COUNT_HOUR * 3600, (COUNT_HOUR + 3) * 3600, size)
    counted_at = midnights[count_day] + (seconds * 1e6).astype("timedelta64[us]")
    return (
        forecasts.with_columns(
            pl.Series("counted_at", counted_at).dt.replace_time_zone("UTC"),
        )
        .filter(pl.Series(count_day < settings.days))
        .sort("counted_at", maintain_order=True)
    )


def _truth(
    forecasts: pl.DataFrame, counted: pl.DataFrame, stores: int, settings: DemoSettings
) -> DemandTruth:
    """Values recomputed in numpy from the rule, over the forecasts whose count arrived."""
    actual = counted["units_sold"].to_numpy()
    margin, cost = counted["unit_margin"].to_numpy(), counted["unit_cost"].to_numpy()
    value = forecast_value(counted["forecast_units"].to_numpy(), actual, margin, cost)
    unbiased = forecast_value(counted["unbiased_units"].to_numpy(), actual, margin, cost)
    daily = np.bincount(counted["day"].to_numpy(), weights=value, minlength=settings.days)
    arrived_days = np.unique(counted["day"].to_numpy())
    return DemandTruth(
        start=settings.start,
        end=settings.end,
        stores=stores,
        products=len(PRODUCTS),
        predictions=len(forecasts),
        matured=len(counted),
        realized_value=float(value.sum()),
        daily_realized={
            settings.start + dt.timedelta(days=int(day)): round(float(daily[day]), 2)
            for day in arrived_days
        },
        change_start=settings.drift_start,
        changed_segment=CHANGED_SEGMENT,
        segment_column=SEGMENT_COLUMN,
        forecast_bias=FORECAST_BIAS,
        lost_to_change=float(unbiased.sum() - value.sum()),
        drift_feature=DRIFT_FEATURE,
        drift_shift=HEAT_WAVE,
    )
