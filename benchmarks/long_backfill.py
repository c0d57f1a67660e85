"""A long history loaded at once, then a report: whole `bottomline` processes, wall and CPU.

    uv run python -m benchmarks.long_backfill [--rows 5000000] [--days 335] [--keep DIR]
        [--running-server] [--json out.json]

The shape a team meets when it first points Bottomline at a model: the car-loan demo model's
`--rows` predictions over `--days` days (11 months by default) in one Parquet file, their
outcomes in another, then `bottomline backfill` of the whole range and `bottomline report` of
its last 30 days, each as its own process with a temporary Prefect server (as a new user runs
them), or with `--running-server` against one `prefect server start` kept up beside them (as
README recommends for a team's nightly runs; the server's own start is not counted).
`benchmarks/nannyml_anchor.py` runs NannyML on the same files (`--keep` keeps them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from benchmarks.commands import Timing, run_timed
from benchmarks.commands import running_server as running_server_at
from bottomline.demo.data import DemoSettings, generate_demo

REPO = Path(__file__).resolve().parents[1]
END = dt.date(2026, 10, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--days", type=int, default=335)
    parser.add_argument("--keep", type=Path, default=None, help="write the files here, keep them")
    parser.add_argument("--running-server", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bottomline-backfill-") as scratch:
        root = arguments.keep.resolve() if arguments.keep else Path(scratch)
        write_files(root, arguments.rows, arguments.days)
        timings = run_commands(root, arguments.days, arguments.running_server)
    total = sum(t.seconds for t in timings)
    print("\n| command | seconds | CPU seconds |\n| --- | ---: | ---: |")
    for timing in timings:
        print(f"| `{timing.command}` | {timing.seconds:.1f} | {timing.cpu_seconds:.1f} |")
    print(f"| **both** | **{total:.1f}** | {sum(t.cpu_seconds for t in timings):.1f} |")
    if arguments.json:
        arguments.json.write_text(json.dumps([t.__dict__ for t in timings], indent=2))


def write_files(root: Path, rows: int, days: int) -> None:
    """predictions.parquet, outcomes.parquet, reference.parquet and the case, under root."""
    data = root / "data"
    if (data / "predictions.parquet").exists():
        print(f"reusing {data}")
        return
    settings = DemoSettings(
        end=END, days=days, predictions_per_day=round(rows / days), drift_after_days=days - 60
    )
    generate_demo(root / "by-day", settings)
    data.mkdir(parents=True, exist_ok=True)
    for kind in ("predictions", "outcomes"):
        pl.scan_parquet(root / "by-day" / kind / "*" / "*.parquet").sink_parquet(
            data / f"{kind}.parquet"
        )
    shutil.move(root / "by-day" / "reference.parquet", data / "reference.parquet")
    shutil.rmtree(root / "by-day")
    (root / "models").mkdir(exist_ok=True)
    case = (REPO / "models" / "car_loans.yaml").read_text(encoding="utf-8")
    for kind in ("predictions", "outcomes"):
        case = case.replace(f"../var/demo/car_loans/{kind}/*/*.parquet", f"../data/{kind}.parquet")
    case = case.replace("../var/demo/car_loans/reference.parquet", "../data/reference.parquet")
    (root / "models" / "car_loans.yaml").write_text(case, encoding="utf-8")
    rows_written = pl.scan_parquet(data / "predictions.parquet").select(pl.len()).collect().item()
    print(f"wrote {rows_written:,} predictions and their outcomes to {data}")


def run_commands(root: Path, days: int, running_server: bool = False) -> list[Timing]:
    """Backfill into a new warehouse and a new Prefect home (an earlier run's are removed),
    then report."""
    for earlier in ("var", "prefect", "logs"):
        shutil.rmtree(root / earlier, ignore_errors=True)
    env = {
        **os.environ,
        "PREFECT_HOME": str(root / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    bottomline = str(REPO / ".venv" / "bin" / "bottomline")
    paths = ["--models", "models", "--warehouse", "var/bottomline.duckdb"]
    paths += ["--out", "var/reports", "--outbox", "var/outbox"]
    first = END - dt.timedelta(days=days - 1)
    month = END - dt.timedelta(days=29)
    commands = [
        (
            f"backfill {first} to {END}",
            [bottomline, "backfill", "--start", str(first), "--end", str(END), *paths],
        ),
        (
            f"report {month} to {END}",
            [bottomline, "report", "--model", "car_loans", *window(month, END), *paths],
        ),
    ]
    if not running_server:
        return [run_timed(label, argv, root, env) for label, argv in commands]
    with running_server_at(root, env) as url:
        return [
            run_timed(label, argv, root, {**env, "PREFECT_API_URL": url})
            for label, argv in commands
        ]


def window(start: dt.date, end: dt.date) -> list[str]:
    return ["--start", str(start), "--end", str(end), "--no-send"]


if __name__ == "__main__":
    main()
