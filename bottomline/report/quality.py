"""Can the data be trusted? Checks, rows set aside, unreadable files and freshness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import duckdb

from bottomline.sqlfiles import load_sql
from bottomline.validation.results import ValidationSummary, attempt_runs, summarize
from bottomline.validation.shown_values import LONGEST_MESSAGE, capped
from bottomline.warehouse import first_row, run

Level = Literal["good", "warning", "problem"]
PROBLEM_SHARE = 0.01  # set aside 1% of a period's predictions or more: a data problem


@dataclass(frozen=True)
class SetAside:
    """Rows a run set aside under one rule."""

    rule: str
    rows: int
    example: str  # one of the reasons, as written on a row


@dataclass(frozen=True)
class DataStatus:
    """The data behind a report (times UTC)."""

    newest_prediction: dt.datetime | None
    newest_outcome: dt.datetime | None
    checks: ValidationSummary  # this run's validation
    set_aside: list[SetAside]  # this run's rows set aside, by rule
    set_aside_in_period: int  # prediction rows of the period's days set aside, by any run
    loaded_in_period: int
    file_errors: list[str] = field(default_factory=list)
    file_notes: list[str] = field(default_factory=list)
    data_docs: str | None = None

    @property
    def set_aside_this_run(self) -> int:
        return sum(item.rows for item in self.set_aside)

    @property
    def share_set_aside(self) -> float:
        """Share of the period's prediction rows that were set aside."""
        total = self.set_aside_in_period + self.loaded_in_period
        return self.set_aside_in_period / total if total else 0.0

    @property
    def level(self) -> Level:
        """problem: a file could not be read or >= 1% of rows set aside; warning: any failed
        check or row set aside; good otherwise."""
        if self.file_errors or self.share_set_aside >= PROBLEM_SHARE:
            return "problem"
        if self.checks.findings or self.set_aside_in_period or self.set_aside_this_run:
            return "warning"
        return "good"


def gather_data_status(
    con: duckdb.DuckDBPyConnection,
    model: str,
    run_id: str,
    start: dt.date,
    end: dt.date,
    *,
    file_errors: list[str],
    file_notes: list[str],
    data_docs: str | None,
) -> DataStatus:
    freshness = first_row(con, load_sql("report/freshness", schema=model))
    assert freshness is not None
    attempts = {"run_ids": attempt_runs(con, model, run_id)}
    set_aside = [
        SetAside(rule=row[0], rows=int(row[1]), example=capped(row[2], LONGEST_MESSAGE))
        for row in run(con, load_sql("report/set_aside_by_run", schema=model), attempts)
    ]
    in_period = first_row(
        con,
        load_sql("report/set_aside_in_period", schema=model),
        {"start": start, "end": end, "model": model},
    )
    assert in_period is not None
    return DataStatus(
        newest_prediction=freshness[0],
        newest_outcome=freshness[1],
        checks=summarize(con, model, run_id),
        set_aside=set_aside,
        set_aside_in_period=int(in_period[0]),
        loaded_in_period=int(in_period[1]),
        file_errors=[capped(error, LONGEST_MESSAGE) for error in file_errors],
        file_notes=[capped(note, LONGEST_MESSAGE) for note in file_notes],
        data_docs=data_docs,
    )
