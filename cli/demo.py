"""`bottomline demo`: fresh demo data where the demo cases expect it, then the nightly flow.

Four demo models: car-loan approvals (with a drift three weeks before the end), a smaller
sister product, van-loan approvals (no drift), a store demand forecast (a regression whose
express stores' forecasts turn 20% too high, with a heat wave, three weeks before the end) and
credit-card offers (a multiclass classifier whose online customers, younger from three weeks
before the end, want the cashback card far more than it expects). Together they make a
portfolio report.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bottomline.case.config import BusinessCase, load_cases
from bottomline.case.errors import ConfigError
from bottomline.demo.card_offers import CardOfferTruth, generate_card_offer_demo
from bottomline.demo.data import DemoSettings, DemoTruth, generate_demo
from bottomline.demo.demand import DemandTruth, generate_demand_demo
from bottomline.ingest.sources import resolve_pattern
from bottomline.periods import yesterday
from bottomline.warehouse import drop_model, migrate
from cli.prefect_api import RENDERING_MODULES, VALIDATION_MODULES, prefect_api
from tasks.settings import Paths, open_warehouse, utc_now

DEMO_MODELS = ["car_loans", "van_loans", "demand_forecast", "card_offers"]


def demo_settings(model: str, arguments: argparse.Namespace, end: dt.date) -> DemoSettings:
    """The car-loan demo as asked; the van-loan one smaller, on its own seed, without drift;
    the demand forecast on its own seed (about as many forecasts a day as loan applications),
    the card offers on theirs (four in ten as many)."""
    settings = DemoSettings(
        end=end,
        days=arguments.days,
        predictions_per_day=arguments.per_day,
        dirty_share=arguments.dirty,
    )
    if model == "van_loans":
        settings = dataclasses.replace(
            settings,
            predictions_per_day=max(1, arguments.per_day * 3 // 10),
            seed=11,
            drift_after_days=arguments.days,
        )
    if model == "demand_forecast":
        settings = dataclasses.replace(settings, seed=23, dirty_share=0.0)
    if model == "card_offers":
        per_day = max(1, arguments.per_day * 4 // 10)
        settings = dataclasses.replace(settings, predictions_per_day=per_day, seed=31)
        settings = dataclasses.replace(settings, dirty_share=0.0)
    return settings


def write_demo_data(
    case: BusinessCase, settings: DemoSettings
) -> DemoTruth | DemandTruth | CardOfferTruth:
    """The case's demo files, beside its reference file, written afresh: a regression case
    gets the demand forecast's, a multiclass one the card offers', a binary classifier the
    loan approvals'."""
    if case.reference.source is None:
        raise ConfigError(
            case.path,
            None,
            "reference.source.path",
            "the demo case needs a reference file; its data is written beside it",
        )
    folder = Path(resolve_pattern(case.reference.source.pattern, case.base_dir)).parent
    shutil.rmtree(folder, ignore_errors=True)
    if case.is_regression:
        return _write_demand_data(case, folder, settings)
    if case.is_multiclass:
        return _write_card_offer_data(case, folder, settings)
    truth = generate_demo(folder, settings)
    drift = (
        f"; drift in {truth.drift_feature} from {truth.drift_start}"
        if truth.drift_start <= settings.end
        else ""
    )
    print(
        f"  {case.title}: {truth.predictions:,} applications, {truth.matured:,} with "
        f"outcomes{drift} ({folder})",
        flush=True,
    )
    if settings.dirty_share:
        print(
            f"    spoiled on purpose: {truth.broken_predictions:,} prediction rows, "
            f"{truth.resent_predictions:,} sent twice, {truth.unseen_categories:,} with an "
            f"unseen region, {truth.bad_labels:,} labels",
            flush=True,
        )
    return truth


def _write_demand_data(case: BusinessCase, folder: Path, settings: DemoSettings) -> DemandTruth:
    truth = generate_demand_demo(folder, settings)
    change = (
        f"; {truth.changed_segment} stores over-forecast by {truth.forecast_bias:.0%} and a "
        f"heat wave from {truth.change_start}"
        if truth.change_start <= settings.end
        else ""
    )
    print(
        f"  {case.title}: {truth.predictions:,} forecasts ({truth.stores} stores x "
        f"{truth.products} products a day), {truth.matured:,} with sales counted{change} "
        f"({folder})",
        flush=True,
    )
    return truth


def _write_card_offer_data(
    case: BusinessCase, folder: Path, settings: DemoSettings
) -> CardOfferTruth:
    truth = generate_card_offer_demo(folder, settings)
    change = (
        f"; {truth.changed_segment} customers younger and wanting cashback from "
        f"{truth.change_start}"
        if truth.change_start <= settings.end
        else ""
    )
    print(
        f"  {case.title}: {truth.predictions:,} offers, {truth.matured:,} with the card taken "
        f"known{change} ({folder})",
        flush=True,
    )
    return truth


def run_demo(arguments: argparse.Namespace, paths: dict[str, Any]) -> int:
    started = time.monotonic()
    cases = load_cases(Path(arguments.models), DEMO_MODELS)
    end = arguments.end or yesterday(dt.datetime.now(dt.UTC), cases[0].zone)
    api = prefect_api(os.environ)  # comes up while the data is written and the flows imported
    print(f"Writing {arguments.days} days of demo data ...", flush=True)
    for case in cases:
        write_demo_data(case, demo_settings(case.name, arguments, end))
    resolved = Paths.resolve(**paths)
    with open_warehouse(resolved) as con:
        migrate(con, utc_now())
        for case in cases:
            drop_model(con, case.name)  # the demo starts from a clean slate every time

    from flows.nightly import nightly
    from tasks.portfolio import portfolio_path

    with api.connected(preload=(*VALIDATION_MODULES, *RENDERING_MODULES)):
        state = nightly(as_of=end, models=DEMO_MODELS, return_state=True, **paths)
    model_states = state.result(raise_on_failure=False)
    if not state.is_completed() or not isinstance(model_states, list):
        print(f"bottomline demo: the nightly run failed: {state.message}", file=sys.stderr)
        for model_state in model_states if isinstance(model_states, list) else []:
            print(f"  {model_state.message}", file=sys.stderr)
        return 1
    print(f"Demo finished in {time.monotonic() - started:.0f} s. Reports:")
    for model_state in model_states:
        print(model_state.result().report_path)
    portfolio = portfolio_path(resolved, str(state.state_details.flow_run_id))
    if portfolio:
        print(portfolio)
    return 0
