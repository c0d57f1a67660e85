"""The run's own checks, judged in Polars: did prediction files arrive since the last
successful run, does every day of the period have its usual volume.

They look at small tables the run derives (one row per file, one per day), not at source
rows, so they need no Great Expectations context: a run with nothing new starts none. The
verdict is `checks.passes`, which a test holds equal to GX's on the same frames.
"""

from __future__ import annotations

import polars as pl

from bottomline.validation.checks import RowCountAtLeast, passes
from bottomline.validation.gx_runner import RuleResult
from bottomline.validation.rules import Rule


class PolarsValidator:
    """A validator (see `batch.Validator`) that judges each rule with `checks.passes`."""

    def validate(self, suite: str, rules: list[Rule], frame: pl.DataFrame) -> list[RuleResult]:
        results = []
        for rule in rules:
            success, unexpected = passes(rule.check, frame)
            details: dict[str, object] = {
                "element_count": frame.height,
                "unexpected_count": unexpected,
                "judged_by": "bottomline (Polars)",
            }
            if isinstance(rule.check, RowCountAtLeast):
                details["observed_value"] = frame.height
            results.append(
                RuleResult(
                    suite=suite,
                    rule=rule,
                    success=success,
                    element_count=frame.height,
                    unexpected_count=unexpected,
                    details=details,
                )
            )
        return results
