"""`bottomline demo | run | report | backfill | send | quarantine | archive` (DESIGN.md,
"Command line").

Exit status: 0 on success, 1 when a model failed (the others still ran), 2 on bad usage or
a bad business case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bottomline.case.config import EMAIL_ADDRESS, case_files, load_case, load_cases
from bottomline.case.errors import ConfigError
from bottomline.ingest.preflight import check_columns
from bottomline.periods import PeriodError, checked_window
from cli.prefect_api import (
    RENDERING_MODULES,
    TIMEOUT_VARIABLE,
    VALIDATION_MODULES,
    ServerUnavailableError,
    SettingError,
    prefect_api,
)

WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DATE_HELP = "a day (2026-05-31), a month (2026-05) or an ISO week (2026-W47)"


def _day(text: str, last: bool) -> dt.date:
    """A day as given, or the first (last) day of a month or ISO week."""
    week, month = WEEK.match(text), MONTH.match(text)
    try:
        if week:
            year, number = int(week.group(1)), int(week.group(2))
            return dt.date.fromisocalendar(year, number, 7 if last else 1)
        if month:
            first = dt.date(int(month.group(1)), int(month.group(2)), 1)
            following = (first + dt.timedelta(days=32)).replace(day=1)
            return following - dt.timedelta(days=1) if last else first
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {DATE_HELP}") from None


def _date(text: str) -> dt.date:
    return _day(text, last=False)


def _last_date(text: str) -> dt.date:
    return _day(text, last=True)


def _address(text: str) -> str:
    if not EMAIL_ADDRESS.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an email address like cfo@example.com")
    return text


class UsageError(Exception):
    """Options that do not go together."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bottomline",
        description="Business-impact reports for machine-learning models in production.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--models",
        default="models",
        metavar="DIR",
        help="folder of business-case files (default: models/)",
    )
    common.add_argument(
        "--warehouse",
        default=None,
        metavar="PATH",
        help="DuckDB file (default: $BOTTOMLINE_WAREHOUSE or var/bottomline.duckdb)",
    )
    common.add_argument(
        "--out",
        default="var/reports",
        metavar="DIR",
        help="where reports go (default: var/reports/)",
    )
    common.add_argument(
        "--outbox",
        default="var/outbox",
        metavar="DIR",
        help="where emails go without an SMTP server (default: var/outbox/)",
    )

    runner = argparse.ArgumentParser(add_help=False)
    runner.add_argument(
        "--task-runner",
        choices=["threads", "dask"],
        default="threads",
        help="where aggregation tasks run (default: threads in this process)",
    )
    runner.add_argument(
        "--dask-address",
        default=None,
        metavar="ADDRESS",
        help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a temporary local cluster)",
    )

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="build the demo data, run the nightly flow on it and print the PDF's path",
    )
    demo.add_argument(
        "--end", type=_date, default=None, help="last day of demo data (default: yesterday)"
    )
    demo.add_argument("--days", type=int, default=120, help="days of history (default: 120)")
    demo.add_argument(
        "--per-day",
        type=int,
        default=2000,
        help="car-loan applications (and store forecasts) per day (default: 2000)",
    )
    demo.add_argument(
        "--dirty",
        type=float,
        nargs="?",
        const=0.005,
        default=0.0,
        metavar="SHARE",
        help="spoil a share of rows as real logs are (default share 0.005) to show validation",
    )
    demo.set_defaults(handler=_demo)

    run = commands.add_parser("run", parents=[common, runner], help="the nightly job")
    run.add_argument(
        "--as-of",
        type=_last_date,
        default=None,
        help=f"last day to report: {DATE_HELP}, its last day (default: yesterday in each "
        "model's zone)",
    )
    run.add_argument(
        "--model",
        action="append",
        dest="model_names",
        metavar="NAME",
        help="only this model (repeatable; default: all)",
    )
    run.add_argument("--no-send", action="store_true", help="render but do not deliver")
    run.add_argument(
        "--resend",
        action="store_true",
        help="send even when an earlier run already sent this window",
    )
    run.set_defaults(handler=_run)

    report = commands.add_parser("report", parents=[common, runner], help="an ad hoc report")
    report.add_argument("--model", required=True, metavar="NAME")
    report.add_argument("--start", type=_date, required=True, help=f"first day: {DATE_HELP}")
    report.add_argument(
        "--end", type=_last_date, required=True, help="last day: the same, its last day"
    )
    report.add_argument(
        "--to",
        action="append",
        type=_address,
        dest="recipients",
        metavar="ADDRESS",
        help="send to this address instead of the case's recipients",
    )
    report.add_argument("--no-send", action="store_true", help="render but do not deliver")
    report.set_defaults(handler=_report)

    backfill = commands.add_parser(
        "backfill", parents=[common, runner], help="ingest and aggregate a range; sends nothing"
    )
    backfill.add_argument("--start", type=_date, required=True, help=f"first day: {DATE_HELP}")
    backfill.add_argument(
        "--end", type=_last_date, required=True, help="last day: the same, its last day"
    )
    backfill.add_argument("--model", action="append", dest="model_names", metavar="NAME")
    backfill.set_defaults(handler=_backfill)
    send = commands.add_parser(
        "send", parents=[common], help="deliver a run's report (again, or after it failed)"
    )
    send.add_argument("run_id", metavar="RUN_ID", help="the run, as in the runs table")
    send.add_argument(
        "--to",
        action="append",
        type=_address,
        dest="recipients",
        metavar="ADDRESS",
        help="send to this address instead of the original recipients",
    )
    send.set_defaults(handler=_send)

    quarantine = commands.add_parser(
        "quarantine", parents=[common], help="list a model's rows set aside, or let them back in"
    )
    quarantine.add_argument("--model", required=True, metavar="NAME")
    quarantine.add_argument("--limit", type=int, default=20, help="rows to list (default: 20)")
    quarantine.add_argument(
        "--reingest",
        action="store_true",
        help="after fixing the case or the files: the next run reads those files again",
    )
    quarantine.set_defaults(handler=_quarantine)

    archive = commands.add_parser(
        "archive",
        parents=[common],
        help="where a model's raw rows are: the warehouse or the Parquet archive",
    )
    archive.add_argument("--model", required=True, metavar="NAME")
    archive.add_argument(
        "--move",
        action="store_true",
        help="move the rows past the case's retention now (nightly runs do it themselves)",
    )
    archive.set_defaults(handler=_archive)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect's own temporary server (any command that starts one without us) is as patient.
    os.environ.setdefault(TIMEOUT_VARIABLE, "180")
    try:
        code: int = arguments.handler(arguments)
    except (ConfigError, PeriodError, UsageError, SettingError) as error:
        print(f"bottomline: {error}", file=sys.stderr)
        return 2
    except ServerUnavailableError as error:
        print(f"bottomline: {error}", file=sys.stderr)
        return 1
    return code


def _paths(arguments: argparse.Namespace) -> dict[str, Any]:
    return {
        "models_dir": arguments.models,
        "warehouse": arguments.warehouse,
        "reports_dir": arguments.out,
        "outbox": arguments.outbox,
    }


def _checked_cases(models: str, names: list[str] | None) -> list[str]:
    """The models to run, after checking their cases against their sources' columns. A case
    that fails the check is named here and fails its own model's run (exit 1), the others run;
    when every case fails, or one model was asked for, nothing starts (exit 2)."""
    files = case_files(Path(models), names)
    problems = []
    for path in files.values():
        try:
            check_columns(load_case(path))
        except ConfigError as error:
            problems.append(error)
    if problems and len(problems) == len(files):
        raise problems[0]
    for problem in problems:
        print(f"bottomline: {problem} (its model fails; the others run)", file=sys.stderr)
    return list(files)


def _run(arguments: argparse.Namespace) -> int:
    names = _checked_cases(arguments.models, arguments.model_names)
    runner = _runner(arguments)
    api = prefect_api(os.environ)  # comes up while the flows are imported
    from flows.nightly import nightly
    from tasks.portfolio import portfolio_path
    from tasks.settings import Paths

    with api.connected(preload=(*VALIDATION_MODULES, *RENDERING_MODULES)):
        state = nightly(
            as_of=arguments.as_of,
            models=names,
            deliver=not arguments.no_send,
            resend=arguments.resend,
            return_state=True,
            **runner,
            **_paths(arguments),
        )
    code = _report_states(names, state)
    portfolio = portfolio_path(
        Paths.resolve(**_paths(arguments)), str(state.state_details.flow_run_id)
    )
    if portfolio:
        print(f"portfolio: {portfolio}")
    return code


def _report(arguments: argparse.Namespace) -> int:
    _checked_cases(arguments.models, [arguments.model])
    checked_window(arguments.start, arguments.end)
    runner = _runner(arguments)
    api = prefect_api(os.environ)
    from flows.report import report

    with api.connected(preload=RENDERING_MODULES):
        state = report(
            model=arguments.model,
            start=arguments.start,
            end=arguments.end,
            recipients=arguments.recipients,
            deliver=not arguments.no_send,
            return_state=True,
            **runner,
            **_paths(arguments),
        )
    return _report_states([arguments.model], state, single=True)


def _backfill(arguments: argparse.Namespace) -> int:
    checked_window(arguments.start, arguments.end)
    names = _checked_cases(arguments.models, arguments.model_names)
    runner = _runner(arguments)
    api = prefect_api(os.environ)
    from flows.backfill import backfill

    with api.connected(preload=VALIDATION_MODULES):
        state = backfill(
            start=arguments.start,
            end=arguments.end,
            models=names,
            return_state=True,
            **runner,
            **_paths(arguments),
        )
    return _report_states(names, state)


def _runner(arguments: argparse.Namespace) -> dict[str, Any]:
    if arguments.dask_address and arguments.task_runner != "dask":
        raise UsageError("--dask-address needs --task-runner dask")
    return {"task_runner": arguments.task_runner, "dask_address": arguments.dask_address}


def _send(arguments: argparse.Namespace) -> int:
    from cli.send import send_report

    return send_report(arguments, _paths(arguments))


def _quarantine(arguments: argparse.Namespace) -> int:
    from cli.quarantine import show_quarantine

    load_cases(Path(arguments.models), [arguments.model])
    return show_quarantine(arguments, _paths(arguments))


def _archive(arguments: argparse.Namespace) -> int:
    from cli.archive import show_archive

    return show_archive(arguments, _paths(arguments))


def _demo(arguments: argparse.Namespace) -> int:
    from cli.demo import run_demo

    return run_demo(arguments, _paths(arguments))


def _report_states(names: list[str], state: Any, single: bool = False) -> int:
    """Print each model's outcome; 1 if any failed."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException) and not single:
        print(f"bottomline: the run failed: {result}", file=sys.stderr)
        return 1
    model_states = [state] if single else list(result)
    failed = 0
    for name, model_state in zip(names, model_states, strict=False):
        if model_state.is_completed():
            end = model_state.result()
            print(
                f"{name}: {end.report_path or 'aggregates up to date'}"
                + (f" (delivered to {end.delivered_to})" if end.delivered_to else "")
            )
        else:
            failed += 1
            print(f"{name}: FAILED: {model_state.message}", file=sys.stderr)
    return 1 if failed or not state.is_completed() else 0


if __name__ == "__main__":
    sys.exit(main())
