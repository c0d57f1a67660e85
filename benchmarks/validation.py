"""Time validating N prediction rows with Great Expectations, the two ways GX can reach them.

    uv run python -m benchmarks.validation [--rows 1000000] [--json out.json]

1. pandas: the Polars batch converted to pandas and validated by GX's pandas engine (what
   Bottomline does); the rows to set aside are then picked with the same checks in Polars.
2. SQL: GX's SQL engine on the DuckDB warehouse (needs `pip install duckdb-engine`, which is
   not a dependency). On GX 1.24 every expectation comes back without a result: the metric
   query returns no rows on DuckDB (great_expectations#11579), so this path cannot be used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from bottomline.validation.batch import any_failing
from bottomline.validation.checks import Between, InSet, NotNull, RowCountAtLeast
from bottomline.validation.rules import Rule

RULES = [
    Rule("id_present", "ids", "critical", NotNull("prediction_id")),
    Rule("score_present", "scores", "critical", NotNull("score")),
    Rule("score_probability", "scores in [0, 1]", "critical", Between("score", 0.0, 1.0)),
    Rule("decision", "decisions", "critical", InSet("decision", (0, 1))),
    Rule("amount_present", "amounts", "critical", NotNull("amount")),
    Rule("amount_range", "amounts near the reference", "warning", Between("amount", 0, 1e6)),
    Rule("band_known", "bands", "warning", InSet("band", ("a", "b"))),
    Rule("band_null_rate", "bands present", "warning", NotNull("band", mostly=0.95)),
    Rule("not_future", "no future", "critical", InSet("in_the_future", (False,))),
    Rule("unique_in_file", "unique", "critical", InSet("repeats_later_in_file", (False,))),
    Rule("rows", "rows arrived", "warning", RowCountAtLeast(1)),
]


def batch(rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(0)
    frame = pl.DataFrame(
        {
            "prediction_id": [f"A{i:09d}" for i in range(rows)],
            "score": rng.uniform(size=rows),
            "decision": rng.integers(0, 2, rows),
            "amount": rng.lognormal(9, 0.5, rows),
            "band": rng.choice(["a", "b", "c"], rows),
            "in_the_future": np.zeros(rows, dtype=bool),
            "repeats_later_in_file": np.zeros(rows, dtype=bool),
        }
    )
    spoiled = pl.int_range(rows) % 1000 == 0  # 0.1% of scores missing
    return frame.with_columns(pl.when(spoiled).then(None).otherwise(pl.col("score")).alias("score"))


def time_pandas(frame: pl.DataFrame) -> dict[str, Any]:
    from bottomline.validation.gx_runner import GxValidator

    started = time.perf_counter()
    validator = GxValidator("benchmark", dt.datetime(2026, 1, 1))
    context_seconds = time.perf_counter() - started
    started = time.perf_counter()
    results = validator.validate("predictions", RULES, frame)
    validate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    set_aside = frame.filter(
        any_failing([r for r in RULES if r.severity == "critical"], frame.schema)
    ).height
    split_seconds = time.perf_counter() - started
    return {
        "path": "pandas",
        "context_s": round(context_seconds, 2),
        "validate_s": round(validate_seconds, 2),
        "split_s": round(split_seconds, 3),
        "results": len(results),
        "failed": sum(not r.success for r in results),
        "rows_set_aside": set_aside,
    }


def time_sql(frame: pl.DataFrame) -> dict[str, Any]:
    try:
        import duckdb_engine  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return {"path": "sql", "skipped": "duckdb-engine is not installed"}
    import duckdb
    import great_expectations as gx

    from bottomline.validation.gx_runner import to_gx

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.duckdb"
        with duckdb.connect(str(path)) as con:
            con.register("frame", frame)
            con.execute("CREATE TABLE batch AS SELECT * FROM frame").fetchall()
        context = gx.get_context(mode="ephemeral")
        source = context.data_sources.add_sql("warehouse", connection_string=f"duckdb:///{path}")
        definition = source.add_table_asset(
            "batch", table_name="batch"
        ).add_batch_definition_whole_table("all")
        suite = context.suites.add(gx.ExpectationSuite(name="predictions"))
        for rule in RULES:
            suite.add_expectation(to_gx(rule))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name="sql", data=definition, suite=suite)
        )
        started = time.perf_counter()
        result = validation.run(result_format="SUMMARY")
        seconds = time.perf_counter() - started
    errored = sum(
        1
        for item in result.results
        if item.exception_info.get("raised_exception")
        or any(
            isinstance(v, dict) and v.get("raised_exception") for v in item.exception_info.values()
        )
    )
    return {
        "path": "sql",
        "validate_s": round(seconds, 2),
        "results": len(result.results),
        "results_with_an_exception": errored,
        "usable": errored == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, default=None)
    arguments = parser.parse_args()
    frame = batch(arguments.rows)
    started = time.perf_counter()
    import great_expectations  # noqa: F401

    print(f"import great_expectations: {time.perf_counter() - started:.1f} s")
    measured = [time_pandas(frame), time_sql(frame)]
    for row in measured:
        print(json.dumps(row))
    if arguments.json:
        arguments.json.write_text(json.dumps({"rows": arguments.rows, "paths": measured}, indent=2))


if __name__ == "__main__":
    main()
