"""Template context for drift: a page-one headline, the ranked table, where the top one moved."""

from __future__ import annotations

from typing import Any

from bottomline.drift.groups import DriftGroups
from bottomline.drift.window import ColumnDrift
from bottomline.report.formatting import count, money, percent, plural

MODEL_OUTPUTS = {
    "score": "Score (model output)",
    "decision": "Decision rate",
    "label": "Outcome rate (known outcomes)",
}
SEVERITY_WORDS = {"alert": "moved a lot", "warning": "moved", "none": "stable"}
LEVELS = {"alert": "problem", "warning": "warning", "none": "good"}


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def drift_headline(drift: list[ColumnDrift]) -> tuple[str, str]:
    """(light level, one sentence) on whether the model's inputs moved."""
    inputs = [d for d in drift if d.column not in MODEL_OUTPUTS]
    if not drift:
        return "good", "Drift: no profiles yet; they are built when outcomes are aggregated."
    moved = [d for d in inputs if d.severity != "none"]
    worst = max((d.severity for d in drift), key=["none", "warning", "alert"].index)
    if not moved:
        outputs = [
            MODEL_OUTPUTS[d.column].lower()
            for d in drift
            if d.column in MODEL_OUTPUTS and d.severity != "none"
        ]
        tail = f", though the {' and '.join(outputs)} moved" if outputs else ""
        return LEVELS[worst], (
            f"Drift: all {plural(len(inputs), 'input')} are stable against the reference{tail}."
        )
    named = "; ".join(
        f"{d.column} {SEVERITY_WORDS[d.severity]} (PSI {_number(d.value('psi'), 2)})"
        for d in moved[:3]
    )
    stable = len(inputs) - len(moved)
    return LEVELS[worst], f"Drift: {named}; {plural(stable, 'other input')} stable."


def drift_rows(drift: list[ColumnDrift]) -> list[dict[str, str]]:
    rows = []
    for d in drift:
        test = (
            f"KS {_number(d.value('ks'))}"
            if d.kind == "numeric"
            else f"chi-square {_number(d.value('chi2'), 1)}"
        )
        rows.append(
            {
                "column": MODEL_OUTPUTS.get(d.column, d.column),
                "severity": {"alert": "Alert", "warning": "Warning", "none": "-"}[d.severity],
                "psi": _number(d.value("psi")),
                "test": test,
                "js": _number(d.value("js")),
                "wasserstein": _number(d.value("wasserstein")),
                "missing": percent(d.value("missing_rate_change"), signed=True),
                "rows": count(d.rows),
                "flag": d.severity,
            }
        )
    return rows


def where_context(where: DriftGroups | None, currency: str) -> dict[str, Any] | None:
    if where is None:
        return None
    return {
        "column": where.column,
        "groups": [
            {
                "label": g.label,
                "reference": percent(g.reference_share, decimals=0),
                "window": percent(g.window_share, decimals=0),
                "value": money(g.value_per_prediction, currency)
                if g.value_per_prediction is not None
                else "n/a",
            }
            for g in where.groups
        ],
        "shift": money(where.shift_value, currency),
    }
