"""Running rules with Great Expectations (GX Core 1.x) on Polars batches.

Batches go to GX's pandas engine with result format SUMMARY. (GX's SQL engine returns no rows
on DuckDB, great_expectations#11579, so it cannot validate the warehouse in place; see
benchmarks/validation.py.) GX is imported only when a validator checks its first batch: it
takes seconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from bottomline.validation.checks import Between, Check, InSet, NotNull, RowCountAtLeast
from bottomline.validation.offline_docs import write_offline_index
from bottomline.validation.rules import Rule
from bottomline.validation.shown_values import shown_result

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation


@dataclass(frozen=True)
class RuleResult:
    """How one rule fared on one batch, as GX reports it."""

    suite: str
    rule: Rule
    success: bool
    element_count: int
    unexpected_count: int
    details: dict[str, Any] = field(default_factory=dict)  # GX's result, JSON-safe

    @property
    def column(self) -> str | None:
        return self.rule.blame

    @property
    def expectation(self) -> str:
        return _expectation_type(self.rule.check)


def _expectation_type(check: Check) -> str:
    return {
        NotNull: "expect_column_values_to_not_be_null",
        Between: "expect_column_values_to_be_between",
        InSet: "expect_column_values_to_be_in_set",
        RowCountAtLeast: "expect_table_row_count_to_be_between",
    }[type(check)]


def _columns(check: Check) -> list[str]:
    return [] if isinstance(check, RowCountAtLeast) else [check.column]


def to_gx(rule: Rule) -> Expectation:
    """The GX expectation of a rule; its meta names the rule."""
    import great_expectations.expectations as gxe

    check, meta = rule.check, {"rule": rule.key, "severity": rule.severity}
    if isinstance(check, RowCountAtLeast):
        return gxe.ExpectTableRowCountToBeBetween(min_value=check.minimum, meta=meta)
    if isinstance(check, NotNull):
        return gxe.ExpectColumnValuesToNotBeNull(
            column=check.column, mostly=check.mostly, meta=meta
        )
    if isinstance(check, Between):
        return gxe.ExpectColumnValuesToBeBetween(
            column=check.column,
            min_value=check.low,
            max_value=check.high,
            mostly=check.mostly,
            meta=meta,
        )
    return gxe.ExpectColumnValuesToBeInSet(
        column=check.column, value_set=list(check.values), mostly=check.mostly, meta=meta
    )


class GxValidator:
    """One GX context for a model's run: validates batches, then builds its data docs. GX is
    imported and its context made at the first batch (about 9 CPU seconds): a run with nothing
    new to check pays nothing and writes no data docs."""

    def __init__(self, run_name: str, run_time: dt.datetime) -> None:
        self.run_name, self.run_time = run_name, run_time
        self._counter = itertools.count(1)
        self._definitions: dict[tuple[str, tuple[tuple[str, str, Check], ...]], Any] = {}
        self._context: Any = None
        self._source: Any = None

    @property
    def used(self) -> bool:
        """Whether any batch was validated (and so GX was started)."""
        return self._context is not None

    def _started(self) -> Any:
        """The GX context, made on first use."""
        if self._context is None:
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig
            from great_expectations.execution_engine import pandas_execution_engine

            # GX fingerprints every pandas batch under 1 GB by hashing all its values (1.2 s
            # per million rows); Bottomline fingerprints its sources itself (sha256 per file),
            # so batches are not hashed again.
            pandas_execution_engine.HASH_THRESHOLD = 0
            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            self._source = context.data_sources.add_pandas("bottomline")
            self._context = context
        return self._context

    def validate(self, suite: str, rules: list[Rule], frame: pl.DataFrame) -> list[RuleResult]:
        """Run the rules on the frame; one result per rule, in the rules' order."""
        from great_expectations.core.run_identifier import RunIdentifier

        checks = [rule.check for rule in rules]
        if len(set(checks)) != len(checks):
            twice = sorted({rule.key for rule in rules if checks.count(rule.check) > 1})
            raise ValueError(f"rules {', '.join(twice)} make the same check; GX keeps only one")
        definition = self._definition(suite, rules)
        needed = sorted({column for rule in rules for column in _columns(rule.check)})
        # Only the columns the rules read go to pandas; table-level rules still need the rows.
        columns = frame.select(needed) if needed else frame.with_row_index("row").select("row")
        result = definition.run(
            batch_parameters={"dataframe": columns.to_pandas()},
            result_format="SUMMARY",
            run_id=RunIdentifier(run_name=self.run_name, run_time=self.run_time),
        )
        by_rule = {item.expectation_config.meta["rule"]: item for item in result.results}
        return [_rule_result(suite, rule, by_rule[rule.key], frame.height) for rule in rules]

    def _definition(self, suite: str, rules: list[Rule]) -> Any:
        """The GX validation definition of these rules, made once per validator (making one
        costs about 20 ms per expectation) and reused for every batch they check."""
        key = (suite, tuple((rule.key, rule.severity, rule.check) for rule in rules))
        if key not in self._definitions:
            import great_expectations as gx

            context, number = self._started(), next(self._counter)
            asset = self._source.add_dataframe_asset(f"{suite}-{number}")
            batch = asset.add_batch_definition_whole_dataframe("batch")
            expectation_suite = context.suites.add(
                gx.ExpectationSuite(name=suite if number == 1 else f"{suite}-{number}")
            )
            for rule in rules:
                expectation_suite.add_expectation(to_gx(rule))
            self._definitions[key] = context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=f"{suite}-{number}", data=batch, suite=expectation_suite
                )
            )
        return self._definitions[key]

    def build_docs(self, folder: Path) -> Path | None:
        """Write GX's data docs for this run's validations, with an index that opens offline
        (see offline_docs); returns the index page, or None when nothing was validated."""
        if not self.used:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        self._context.add_data_docs_site(
            "bottomline",
            {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(folder),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        self._escape_stored_samples()
        self._context.build_data_docs(site_names=["bottomline"])
        return write_offline_index(folder, self.run_name)

    def _escape_stored_samples(self) -> None:
        """Cap and HTML-escape the sampled source values in GX's stored results: its data docs
        write them into table cells unescaped (a value `<script>...` would run in the reader's
        browser)."""
        store = self._context.validation_results_store
        for key in store.list_keys():
            suite_result = store.get(key)
            for item in suite_result.results:
                if isinstance(item.result, dict):
                    item.result = shown_result(item.result, escape=True)
            store.set(key, suite_result)


def _rule_result(suite: str, rule: Rule, item: Any, rows: int) -> RuleResult:
    details = item.to_json_dict()
    result = details.get("result") or {}
    if item.exception_info and item.exception_info.get("raised_exception"):
        message = item.exception_info.get("exception_message", "GX could not evaluate the rule")
        raise RuntimeError(f"rule {rule.key}: {message}")
    unexpected = int(result.get("unexpected_count") or 0)
    result = shown_result(result)  # a 5 MB cell is not stored (or shown) whole
    return RuleResult(
        suite=suite,
        rule=rule,
        success=bool(item.success),
        element_count=int(result.get("element_count") or rows),
        unexpected_count=unexpected,
        details=result,
    )
