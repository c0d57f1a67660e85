"""Time a quarter's drift computed from stored daily profiles against computing it from the
raw rows of the quarter (read, binned and profiled on the spot).

    uv run python -m benchmarks.drift [--days 120] [--per-day 2000] [--json out.json]

The demo's data is generated, loaded and aggregated into a temporary warehouse first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from bottomline.case.config import BusinessCase, load_case
from bottomline.demo.data import DemoSettings, generate_demo
from bottomline.drift.profiles import profile
from bottomline.drift.reference_bins import stored_bins
from bottomline.drift.window import ColumnDrift, measure_window, read_profiles, window_drift
from bottomline.ingest.run import IngestContext, ingest_model
from bottomline.measures.aggregate import bring_up_to_date, stale_days
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.measures.metrics import measure
from bottomline.sqlfiles import load_sql
from bottomline.validation.gx_runner import GxValidator
from bottomline.warehouse import migrate

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 7, 1, 6, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--per-day", type=int, default=2000)
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "models").mkdir()
        shutil.copy(REPO / "models" / "car_loans.yaml", root / "models")
        settings = DemoSettings(
            end=dt.date(2026, 6, 30), days=arguments.days, predictions_per_day=arguments.per_day
        )
        generate_demo(root / "var" / "demo" / "car_loans", settings)
        case = load_case(root / "models" / "car_loans.yaml")
        with duckdb.connect(str(root / "w.duckdb")) as con:
            migrate(con, NOW)
            started = time.perf_counter()
            ingest_model(con, IngestContext(case, "bench", NOW), GxValidator("bench", NOW))
            bring_up_to_date(con, case, stale_days(con, case.name), NOW)
            load_seconds = time.perf_counter() - started
            start, end = settings.end - dt.timedelta(days=89), settings.end
            timings = {"load_and_aggregate_s": round(load_seconds, 2)}
            started = time.perf_counter()
            from_profiles = measure_window(con, case, start, end)
            timings["quarter_from_profiles_s"] = round(time.perf_counter() - started, 3)
            started = time.perf_counter()
            from_raw = _from_raw_rows(con, case, start, end)
            timings["quarter_from_raw_rows_s"] = round(time.perf_counter() - started, 3)
            rows = con.execute(
                load_sql("drift/count_window_rows", schema=case.name),
                {"start": start, "end": end, "model": case.name},
            ).fetchall()[0][0]
    same = [(d.column, d.severity) for d in from_profiles] == [
        (d.column, d.severity) for d in from_raw
    ]
    result = {"rows_in_quarter": rows, **timings, "same_severities": same}
    print(json.dumps(result, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2))


def _from_raw_rows(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> list[ColumnDrift]:
    """The same statistics, from the quarter's raw rows binned on the spot."""
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    rows = con.sql(
        load_sql("measures/aggregate/rows_for_days", schema=case.name),
        params={"days": days, "first_day": start, "last_day": end},
    ).pl()
    bins, _ = stored_bins(con, case.name)
    window = profile(measure(rows, case, Calibrator(pooled=IDENTITY)), bins)
    reference, _ = read_profiles(con, case.name, start, end)
    return window_drift(case, bins, reference, window.drop("day", "kind"))


if __name__ == "__main__":
    main()
