"""Time whole `bottomline` processes as a user runs them: wall and CPU seconds (the process
and every child it waited for, the temporary Prefect server included).

    uv run python -m benchmarks.commands [--busy 2] [--new-day-rows 1000000] [--json out.json]
        [--checkout DIR]

In a scratch folder: the demo (`bottomline demo`, 120 days of two models), then

- `bottomline --help`;
- `bottomline report` of the car-loan model's last 90 days with nothing new to load, with a
  temporary server, then with a running `prefect server start` (PREFECT_API_URL set);
- `bottomline run` with nothing new;
- `bottomline run` for the next day, after a new file of `--new-day-rows` predictions.

`--busy N` keeps N CPU-bound processes running beside the commands (a shared server, a laptop
on a video call): commands get slower and must not fail. `--checkout DIR` times another
checkout (its `.venv` and `models/`), e.g. a worktree of an earlier commit, for before/after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from bottomline.demo.data import DemoSettings, generate_demo
from cli.prefect_api import RECORDER_IN_BATCHES

REPO = Path(__file__).resolve().parents[1]
DEMO_END = dt.date(2026, 11, 30)
SERVER_PORT = 4391


@dataclass(frozen=True)
class Timing:
    command: str
    seconds: float  # wall
    cpu_seconds: float  # user + system, the process and its reaped children
    exit_status: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=0, metavar="N")
    parser.add_argument("--new-day-rows", type=int, default=1_000_000)
    parser.add_argument("--checkout", type=Path, default=REPO)
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bottomline-commands-") as folder,
        busy(arguments.busy),
    ):
        timings = run_all(Path(folder), arguments.checkout.resolve(), arguments.new_day_rows)
    print_table(timings, arguments.busy)
    if arguments.json:
        arguments.json.write_text(json.dumps([asdict(t) for t in timings], indent=2))
    if any(t.exit_status != 0 for t in timings):
        sys.exit(1)


def run_all(root: Path, checkout: Path, new_day_rows: int) -> list[Timing]:
    shutil.copytree(checkout / "models", root / "models")
    env = {
        **os.environ,
        "PREFECT_HOME": str(root / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PREFECT_API_URL", None)
    command = [str(checkout / ".venv" / "bin" / "bottomline")]
    paths = ["--models", "models", "--warehouse", "var/bottomline.duckdb"]
    paths += ["--out", "var/reports", "--outbox", "var/outbox"]
    quarter = ["--start", str(DEMO_END - dt.timedelta(days=89)), "--end", str(DEMO_END)]
    report = [*command, "report", "--model", "car_loans", *quarter, "--no-send", *paths]

    def timed(label: str, argv: list[str], environment: dict[str, str] = env) -> Timing:
        return run_timed(label, argv, root, environment)

    timings = [
        timed("demo (120 days, 2 models)", [*command, "demo", "--end", str(DEMO_END), *paths]),
        timed("--help", [*command, "--help"]),
        timed("report, 90 days, nothing new (temporary server)", report),
    ]
    with running_server(root, env) as url:
        timings.append(
            timed(
                "report, 90 days, nothing new (running server)",
                report,
                {**env, "PREFECT_API_URL": url},
            )
        )
    as_of = ["--as-of", str(DEMO_END), "--no-send"]
    timings.append(timed("run, nothing new", [*command, "run", *as_of, *paths]))
    next_day = DEMO_END + dt.timedelta(days=1)
    write_new_day(root / "var" / "demo" / "car_loans", next_day, new_day_rows)
    timings.append(
        timed(
            f"run, one new day of {new_day_rows:,} predictions",
            [*command, "run", "--as-of", str(next_day), "--no-send", *paths],
        )
    )
    return timings


def run_timed(label: str, argv: list[str], cwd: Path, env: dict[str, str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    log = cwd / "logs" / f"{label.split(',')[0].split(' ')[0].strip('-')}-{time.time_ns()}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as output:
        status = subprocess.run(argv, cwd=cwd, env=env, stdout=output, stderr=output).returncode
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if status != 0:
        print(f"{label}: exit status {status}; its output:\n{log.read_text()[-3000:]}")
    print(f"{label}: {seconds:.1f} s, {cpu:.1f} CPU s", flush=True)
    return Timing(label, round(seconds, 2), round(cpu, 2), status)


def write_new_day(folder: Path, day: dt.date, rows: int) -> None:
    """A new day of predictions in the demo's layout, with ids of their own."""
    scratch = folder.parent / "new-day"
    generate_demo(
        scratch,
        DemoSettings(end=day, days=1, predictions_per_day=rows, reference_rows=1_000, seed=99),
    )
    frame = pl.concat([pl.read_parquet(p) for p in sorted(scratch.glob("predictions/*/*"))])
    frame = frame.with_columns(pl.concat_str(pl.lit("N"), pl.col("id")).alias("id"))
    target = folder / "predictions" / f"date={day}"
    target.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(target / "part-0.parquet")
    shutil.rmtree(scratch)


@contextmanager
def running_server(root: Path, env: dict[str, str]) -> Iterator[str]:
    """`prefect server start` on loopback, as README says to keep one up (task runs recorded
    in batches); its CPU is not counted."""
    prefect = Path(sys.executable).parent / "prefect"
    (root / "logs").mkdir(exist_ok=True)
    log = (root / "logs" / "server.log").open("wb")
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(SERVER_PORT)],
        env={**env, **RECORDER_IN_BATCHES},
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{SERVER_PORT}/api"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("prefect server start did not answer within 300 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@contextmanager
def busy(processes: int) -> Iterator[None]:
    """CPU-bound processes beside the commands; their CPU is not counted."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def print_table(timings: list[Timing], busy_processes: int) -> None:
    print()
    print(f"| command ({busy_processes} CPU-bound processes beside it) | seconds | CPU seconds |")
    print("| --- | ---: | ---: |")
    for timing in timings:
        failed = "" if timing.exit_status == 0 else f" (FAILED, exit {timing.exit_status})"
        print(f"| `{timing.command}`{failed} | {timing.seconds:.1f} | {timing.cpu_seconds:.1f} |")


if __name__ == "__main__":
    main()
