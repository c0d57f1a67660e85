"""`bottomline demo`: fresh demo data where the demo case expects it, then the nightly flow."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bottomline.config import load_cases
from bottomline.config_errors import ConfigError
from bottomline.demo import DemoSettings, generate_demo
from bottomline.periods import yesterday
from bottomline.sources import resolve_pattern
from bottomline.warehouse import connect, drop_model, migrate
from tasks.settings import Paths, utc_now

DEMO_MODEL = "car_loans"


def run_demo(arguments: argparse.Namespace, paths: dict[str, Any]) -> int:
    started = time.monotonic()
    case = load_cases(Path(arguments.models), [DEMO_MODEL])[0]
    if case.reference.source is None:
        raise ConfigError(
            case.path,
            None,
            "reference.source.path",
            "the demo case needs a reference file; its data is written beside it",
        )
    folder = Path(resolve_pattern(case.reference.source.pattern, case.base_dir)).parent
    end = arguments.end or yesterday(dt.datetime.now(dt.UTC), case.zone)
    print(f"Writing {arguments.days} days of demo data to {folder} ...", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    truth = generate_demo(
        folder,
        DemoSettings(
            end=end,
            days=arguments.days,
            predictions_per_day=arguments.per_day,
            dirty_share=arguments.dirty,
        ),
    )
    print(
        f"  {truth.predictions:,} loan applications, {truth.matured:,} with outcomes; "
        f"drift in {truth.drift_feature} from {truth.drift_start}",
        flush=True,
    )
    if arguments.dirty:
        print(
            f"  spoiled on purpose: {truth.broken_predictions:,} prediction rows, "
            f"{truth.resent_predictions:,} sent twice, {truth.unseen_categories:,} with an "
            f"unseen region, {truth.bad_labels:,} labels",
            flush=True,
        )
    resolved = Paths.resolve(**paths)
    with connect(resolved.warehouse) as con:
        migrate(con, utc_now())
        drop_model(con, DEMO_MODEL)  # the demo starts from a clean slate every time

    from flows.nightly import nightly

    state = nightly(as_of=end, models=[DEMO_MODEL], return_state=True, **paths)
    model_states = state.result(raise_on_failure=False)
    if not state.is_completed() or not isinstance(model_states, list):
        print(f"bottomline demo: the nightly run failed: {state.message}", file=sys.stderr)
        for model_state in model_states if isinstance(model_states, list) else []:
            print(f"  {model_state.message}", file=sys.stderr)
        return 1
    run_end = model_states[0].result()
    print(f"Demo finished in {time.monotonic() - started:.0f} s. Report:")
    print(run_end.report_path)
    return 0
