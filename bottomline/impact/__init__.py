"""Business impact: windows, the plan-vs-actual bridge, the verdict, segments, versions,
fairness, baselines. Takes: a window's daily aggregates (`measures`). Gives: `BusinessImpact`."""

from __future__ import annotations

from bottomline.impact.result import BusinessImpact, business_impact
from bottomline.impact.verdict import judge

__all__ = ["BusinessImpact", "business_impact", "judge"]
