"""Validation results in the warehouse (`validation_results`) and their summary for a report."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import polars as pl

from bottomline.sqlfiles import load_sql
from bottomline.validation.gx_runner import RuleResult
from bottomline.warehouse import run

RESULT_SCHEMA = {
    "suite": pl.String,
    "expectation": pl.String,
    "success": pl.Boolean,
    "unexpected_count": pl.Int64,
    "details": pl.String,
    "severity": pl.String,
    "description": pl.String,
    "column_name": pl.String,
    "gx_expectation": pl.String,
    "element_count": pl.Int64,
}


def store_results(
    con: duckdb.DuckDBPyConnection,
    model: str,
    run_id: str,
    now: dt.datetime,
    results: list[RuleResult],
) -> None:
    """One row per rule and validated batch."""
    frame = pl.DataFrame(
        [
            (
                r.suite,
                r.rule.key,
                r.success,
                r.unexpected_count,
                json.dumps(r.details, default=str, sort_keys=True),
                r.rule.severity,
                r.rule.description,
                r.column,
                r.expectation,
                r.element_count,
            )
            for r in results
        ],
        schema=RESULT_SCHEMA,
        orient="row",
    )
    con.register("results", frame)
    try:
        run(
            con,
            load_sql("validation/insert_results"),
            {"run_id": run_id, "model": model, "now": now},
        )
    finally:
        con.unregister("results")


@dataclass(frozen=True)
class Finding:
    """A rule that failed in a run, merged over its batches."""

    suite: str
    rule: str
    description: str
    severity: str
    column: str | None
    unexpected: int  # rows breaking it
    checked: int  # rows checked


@dataclass(frozen=True)
class ValidationSummary:
    """A run's checks: how many ran, and those that failed, critical first."""

    checks: int
    findings: list[Finding]

    @property
    def passed(self) -> int:
        return self.checks - len(self.findings)

    @property
    def critical(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "critical"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]


def attempt_runs(con: duckdb.DuckDBPyConnection, model: str, run_id: str) -> list[str]:
    """This run and the model's interrupted attempts since its last successful run."""
    rows = run(con, load_sql("report/attempt_runs"), {"model": model, "run_id": run_id})
    return sorted({row[0] for row in rows} | {run_id})


def summarize(con: duckdb.DuckDBPyConnection, model: str, run_id: str) -> ValidationSummary:
    """The checks of a run's data: its own and those of interrupted attempts before it."""
    rows = run(
        con,
        load_sql("validation/run_summary"),
        {"model": model, "run_ids": attempt_runs(con, model, run_id)},
    )
    findings = [
        Finding(
            suite=row[0],
            rule=row[1],
            description=row[2],
            severity=row[3],
            column=row[4],
            unexpected=int(row[5]),
            checked=int(row[6]),
        )
        for row in rows
        if not row[7]
    ]
    return ValidationSummary(checks=len(rows), findings=findings)
