"""Time each stage of a nightly run on N predictions with F features, and peak memory.

    uv run python -m benchmarks.nightly [--rows 10000000] [--features 20]
        [--history-days 90] [--history-per-day 20000] [--task binary|multiclass]
        [--raw-days N] [--json out.json]

Synthetic data for one model is written as Parquet: `--history-days` days of history (loaded
and aggregated first, not timed), then one night of `--rows` predictions, 60% of them with
their outcome. The night is then run stage by stage through the library, as the nightly flow
does (without Prefect's orchestration; each stage opens its own connection with the default
memory limit, as the flow's tasks do): ingest (read, standardise, validate, write), validate
(Great Expectations alone: it runs on its own thread during ingest, so its time is part of
ingest's and not added again to the total), aggregate (daily metrics and profiles), drift,
report data, render. Then a quarterly report is built from the stored aggregates. Peak memory is the
process's resident set, sampled every 20 ms. Prints a table and writes JSON.

`--task multiclass` makes the same night a three-class model's (one score column per class, the
decision and the label a class name, a value matrix over the same amount feature), to compare
its whole night with a binary model's on the same features and volume.

`--raw-days N` gives the case a retention: the history past N days is archived before the night
(not timed), and the night's own move (the day that crosses the line) is timed as `archive`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

from bottomline.archive.move import archive_due_rows
from bottomline.case.config import BusinessCase, load_case
from bottomline.drift.window import measure_window
from bottomline.ingest.run import IngestContext, ingest_model
from bottomline.measures.aggregate import bring_up_to_date, stale_days
from bottomline.report.content import ReportData, gather_report_data
from bottomline.report.context import build_context
from bottomline.report.render import render_html, write_report
from bottomline.validation.gx_runner import GxValidator, RuleResult
from bottomline.validation.rules import Rule
from bottomline.warehouse import connect, migrate

NIGHT = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 7, 1, 5, 0)
CATEGORICAL = 3
FILE_ROWS = 1_000_000
CLASSES = ("cashback", "travel", "premium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--history-days", type=int, default=90)
    parser.add_argument("--history-per-day", type=int, default=20_000)
    parser.add_argument("--task", choices=["binary", "multiclass"], default="binary")
    parser.add_argument(
        "--raw-days",
        type=int,
        default=None,
        help="the case's retention.raw_days: the history is archived to it before the night, "
        "and the night's own move (one more day) is timed as the stage `archive`",
    )
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = run(Path(folder), arguments)
    print_table(result)
    if arguments.json:
        arguments.json.write_text(json.dumps(result, indent=2))


def run(root: Path, arguments: argparse.Namespace) -> dict[str, Any]:
    features = [f"f{n:02d}" for n in range(arguments.features)]
    multiclass = arguments.task == "multiclass"
    case = write_case(root, features, multiclass, arguments.raw_days)
    rng = np.random.default_rng(11)
    write_reference(root, features, rng, multiclass)
    history = [NIGHT - dt.timedelta(days=n) for n in range(arguments.history_days, 0, -1)]
    for day in history:
        write_day(root, features, day, arguments.history_per_day, rng, multiclass)
    warehouse = root / "warehouse.duckdb"
    with connect(warehouse) as con:
        migrate(con, NOW)
        ingest_model(con, IngestContext(case, "history", NOW), GxValidator("history", NOW))
        bring_up_to_date(con, case, stale_days(con, case.name), NOW)
        archive_due_rows(con, case, NIGHT, "history", NOW)  # None without --raw-days
    write_day(root, features, NIGHT, arguments.rows, rng, multiclass)
    meter = Meter()
    with meter.running():
        timings = night(case, warehouse, root, meter)
        timings["quarterly_report"] = quarterly(case, warehouse, root, meter)
    return {
        "rows": arguments.rows,
        "features": arguments.features,
        "task": arguments.task,
        "history_days": arguments.history_days,
        "raw_days": arguments.raw_days,
        "stages": timings,
        "peak_rss_gb": round(meter.peak / 1e9, 2),
    }


def night(case: BusinessCase, warehouse: Path, root: Path, meter: Meter) -> dict[str, Any]:
    """The stages of one night, each with a connection of its own (as the flow's tasks do)."""
    stages: dict[str, Any] = {}
    start = NIGHT - dt.timedelta(days=case.report.period_days - 1)
    validator = TimedValidator(GxValidator("night", NOW))
    with meter.stage("ingest") as ingest, connect(warehouse) as con:
        context = IngestContext(case, "night", NOW, as_of=NIGHT, period_start=start)
        ingest_model(con, context, validator)
    stages["ingest"] = ingest  # its wall time, validation included
    # GX runs on its own thread while each group is written: its time overlaps ingest's.
    stages["validate"] = {"seconds": round(validator.seconds, 2), "peak_rss_gb": None}
    with meter.stage("aggregate") as stages["aggregate"], connect(warehouse) as con:
        bring_up_to_date(con, case, stale_days(con, case.name), NOW)
    if case.retention is not None:  # the run after the night, the day after it
        with meter.stage("archive") as stages["archive"], connect(warehouse) as con:
            archive_due_rows(con, case, NIGHT + dt.timedelta(days=1), "night", NOW)
    with meter.stage("drift") as stages["drift"], connect(warehouse) as con:
        measure_window(con, case, start, NIGHT)
    with meter.stage("report data") as stages["report data"], connect(warehouse) as con:
        data = report_data(con, case, start, "night")
    with meter.stage("render") as stages["render"]:
        write_report(render_html(build_context(data)), root / "night.pdf")
    timed = [stage for name, stage in stages.items() if name != "validate"]
    stages["total"] = {
        "seconds": round(sum(stage["seconds"] for stage in timed), 2),
        "cpu_seconds": round(sum(stage["cpu_seconds"] for stage in timed), 2),
        "peak_rss_gb": round(meter.peak / 1e9, 2),
    }
    return stages


def quarterly(case: BusinessCase, warehouse: Path, root: Path, meter: Meter) -> dict[str, Any]:
    start = NIGHT - dt.timedelta(days=89)
    with meter.stage("quarterly report") as stage:
        with connect(warehouse, read_only=True) as con:
            data = report_data(con, case, start, "quarter")
        write_report(render_html(build_context(data)), root / "quarter.pdf")
    return stage


def report_data(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, run_id: str
) -> ReportData:
    """What the report shows for [start, NIGHT], from the stored aggregates."""
    return gather_report_data(
        con,
        case,
        start,
        NIGHT,
        run_id=run_id,
        code_version="bench",
        generated_at=NOW,
        file_errors=[],
        file_notes=[],
        data_docs=None,
    )


class TimedValidator:
    """The real validator, with the time spent in it added up."""

    def __init__(self, inner: GxValidator) -> None:
        self.inner, self.seconds = inner, 0.0

    def validate(self, suite: str, rules: list[Rule], frame: pl.DataFrame) -> list[RuleResult]:
        started = time.perf_counter()
        try:
            return self.inner.validate(suite, rules, frame)
        finally:
            self.seconds += time.perf_counter() - started


@dataclass
class Meter:
    """Resident memory of this process, sampled; peaks overall and per stage."""

    peak: int = 0
    stage_peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    @contextmanager
    def running(self) -> Iterator[None]:
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, Any]]:
        figures: dict[str, Any] = {}
        self.stage_peak = 0
        started, started_cpu = time.perf_counter(), cpu_seconds()
        print(f"{name} ...", flush=True)
        yield figures
        figures["seconds"] = round(time.perf_counter() - started, 2)
        figures["cpu_seconds"] = round(cpu_seconds() - started_cpu, 2)
        figures["peak_rss_gb"] = round(max(self.stage_peak, rss()) / 1e9, 2)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            now = rss()
            self.peak, self.stage_peak = max(self.peak, now), max(self.stage_peak, now)


def cpu_seconds() -> float:
    """CPU time of this process, all threads, user and system: steadier than wall time on a
    shared machine, and with 2 cores the wall time cannot fall below half of it."""
    times = os.times()
    return times.user + times.system


def rss() -> int:
    """Resident set size of this process, bytes."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096


def write_case(
    root: Path, features: list[str], multiclass: bool, raw_days: int | None = None
) -> BusinessCase:
    categorical = features[:CATEGORICAL]
    amount = features[CATEGORICAL]
    (root / "models").mkdir()
    path = root / "models" / "bench.yaml"
    path.write_text(
        f"""name: bench
title: Benchmark model
currency: EUR
timezone: UTC
{task_keys() if multiclass else "task: binary_classification"}
predictions:
  source: {{path: ../data/predictions/*/*.parquet}}
  id: id
  timestamp: timestamp
  {scores_key() if multiclass else "score: score"}
  decision: decision
  model_version: model_version
  features: [{", ".join(features)}]
  categorical: [{", ".join(categorical)}]
outcomes:
  source: {{path: ../data/outcomes/*/*.parquet}}
  id: id
  label: label
reference:
  source: {{path: ../data/reference.parquet}}
value:
{value_matrix(amount) if multiclass else binary_values(amount)}
segments: [{categorical[0]}]
report:
  period_days: 30
{f"retention: {{raw_days: {raw_days}}}" if raw_days else ""}
"""
    )
    return load_case(path)


def task_keys() -> str:
    return f"task: multiclass_classification\nclasses: [{', '.join(CLASSES)}]"


def scores_key() -> str:
    return "scores: {" + ", ".join(f"{name}: p_{name}" for name in CLASSES) + "}"


def binary_values(amount: str) -> str:
    return (
        f"  true_positive: 0.06 * {amount}\n  false_positive: -0.35 * {amount}\n"
        "  true_negative: 0\n  false_negative: 0"
    )


def value_matrix(amount: str) -> str:
    """Deciding right earns a share of the amount; deciding wrong costs a fixed sum."""
    lines = ["  matrix:"]
    for number, true_class in enumerate(CLASSES):
        cells = ", ".join(
            f"{decided}: {f'0.02 * (1 + {number}) * {amount}' if decided == true_class else -15}"
            for decided in CLASSES
        )
        lines.append(f"    {true_class}: {{{cells}}}")
    return "\n".join(lines)


def rows(
    features: list[str], count: int, rng: np.random.Generator, multiclass: bool = False
) -> dict[str, Any]:
    """Feature columns, a score (or one per class) that depends on them, a decision and a
    version."""
    columns: dict[str, Any] = {}
    signal = np.zeros(count)
    for number, name in enumerate(features):
        if number < CATEGORICAL:
            codes = rng.integers(0, 8, count)
            columns[name] = np.array([f"c{n}" for n in range(8)])[codes]
            signal += (codes - 3.5) * 0.05
        elif number == CATEGORICAL:
            columns[name] = rng.lognormal(9.5, 0.5, count).round(0)  # an amount, EUR
        else:
            columns[name] = rng.normal(0.0, 1.0, count)
            signal += columns[name] * (0.3 / number)
    if multiclass:
        logits = np.stack([signal + 0.4, -0.5 * signal, 0.8 * signal - 0.6], axis=1)
        probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        for index, name in enumerate(CLASSES):
            columns[f"p_{name}"] = probabilities[:, index]
        columns["decision"] = np.array(CLASSES)[probabilities.argmax(axis=1)]
    else:
        score = 1 / (1 + np.exp(-(1.5 + signal)))
        columns["score"] = score
        columns["decision"] = (score >= 0.8).astype(np.int8)
    columns["model_version"] = np.where(rng.random(count) < 0.2, "v2", "v1")
    return columns


def labels(columns: dict[str, Any], rng: np.random.Generator, multiclass: bool) -> np.ndarray:
    """Outcomes drawn from the model's own probabilities: a calibrated model."""
    size = len(columns["decision"])
    if not multiclass:
        positive: np.ndarray = (rng.random(size) < columns["score"]).astype(np.int8)
        return positive
    cumulative = np.cumsum(np.stack([columns[f"p_{c}"] for c in CLASSES], axis=1), axis=1)
    drawn = (rng.random((size, 1)) > cumulative).sum(axis=1).clip(0, len(CLASSES) - 1)
    names: np.ndarray = np.array(CLASSES)[drawn]
    return names


def write_reference(
    root: Path, features: list[str], rng: np.random.Generator, multiclass: bool
) -> None:
    columns = rows(features, 200_000, rng, multiclass)
    columns["label"] = labels(columns, rng, multiclass)
    (root / "data").mkdir()
    pl.DataFrame(columns).write_parquet(root / "data" / "reference.parquet")


def write_day(
    root: Path,
    features: list[str],
    day: dt.date,
    count: int,
    rng: np.random.Generator,
    multiclass: bool,
) -> None:
    """A day's predictions in files of up to FILE_ROWS rows, and outcomes for 60% of them."""
    for part, offset in enumerate(range(0, count, FILE_ROWS)):
        size = min(FILE_ROWS, count - offset)
        columns = rows(features, size, rng, multiclass)
        ids = [f"{day:%Y%m%d}-{offset + n:09d}" for n in range(size)]
        seconds = rng.integers(0, 86_400, size).astype("timedelta64[s]")
        stamps = (np.datetime64(day.isoformat()) + seconds).astype("datetime64[us]")
        frame = pl.DataFrame({"id": ids, "timestamp": stamps, **columns})
        label = labels(columns, rng, multiclass)
        known = rng.random(size) < 0.6
        outcomes = pl.DataFrame({"id": ids, "label": label}).filter(known)
        for kind, data in (("predictions", frame), ("outcomes", outcomes)):
            folder = root / "data" / kind / f"date={day}"
            folder.mkdir(parents=True, exist_ok=True)
            data.write_parquet(folder / f"part-{part}.parquet")


def print_table(result: dict[str, Any]) -> None:
    print(
        f"\n{result['rows']:,} predictions x {result['features']} features "
        f"({result['task']}), {result['history_days']} days of history"
        + (f", raw rows kept {result['raw_days']} days" if result.get("raw_days") else "")
    )
    print(f"{'stage':<18}{'seconds':>10}{'CPU s':>10}{'peak RSS GB':>14}")
    for name, stage in result["stages"].items():
        peak, cpu = stage.get("peak_rss_gb"), stage.get("cpu_seconds")
        label = "  of it, GX" if name == "validate" else name
        print(
            f"{label:<18}{stage['seconds']:>10.2f}{'' if cpu is None else cpu:>10}"
            f"{'' if peak is None else peak:>14}"
        )
    print(f"peak resident memory: {result['peak_rss_gb']} GB")


if __name__ == "__main__":
    main()
