"""Template context for drift: a page-one headline, the ranked table, where the top one moved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bottomline.case.config import BusinessCase
from bottomline.drift.groups import DriftGroups
from bottomline.drift.window import ColumnDrift
from bottomline.report.formatting import count, money, money_each, percent, plural
from bottomline.report.impact_context import signed_money
from bottomline.report.narrative import group_words

MODEL_OUTPUTS = {
    "score": "Score (model output)",
    "decision": "Decision rate",
    "label": "Outcome rate (known outcomes)",
}


def model_outputs(case: BusinessCase) -> dict[str, str]:
    """The drift table's names of the model's own columns (not inputs): a multiclass model's
    score per class, decided class and right class."""
    if not case.is_multiclass:
        return MODEL_OUTPUTS
    scores = {
        column: f"Score for {name}"
        for name, column in zip(case.class_names, case.score_columns, strict=True)
    }
    return {**scores, "decision": "Decided class", "label": "Right class (known outcomes)"}


SEVERITY_WORDS = {"alert": "moved a lot", "warning": "moved", "none": "stable"}
LEVELS = {"alert": "problem", "warning": "warning", "none": "good"}


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def drift_headline(
    drift: list[ColumnDrift],
    has_data: bool = True,
    label: Callable[[str], str] = str,
    outputs: dict[str, str] = MODEL_OUTPUTS,
) -> tuple[str, str]:
    """(light level, one sentence) on whether the model's inputs moved (`outputs`: the
    model's own columns, by their names); the statistics stay in the drift table (page one
    names no PSI)."""
    inputs = [d for d in drift if d.column not in outputs]
    if not has_data:
        return "good", "Drift: no predictions in this window to compare with the reference."
    if not drift:
        return "good", "Drift: no profiles yet; they are built when outcomes are aggregated."
    moved = [d for d in inputs if d.severity != "none"]
    worst = max((d.severity for d in drift), key=["none", "warning", "alert"].index)
    if not moved:
        moved_outputs = [
            outputs[d.column].lower() for d in drift if d.column in outputs and d.severity != "none"
        ]
        tail = f", though the {' and '.join(moved_outputs)} moved" if moved_outputs else ""
        return LEVELS[worst], (
            f"Drift: all {plural(len(inputs), 'input')} are stable against the reference{tail}."
        )
    named = "; ".join(f"{label(d.column)} {SEVERITY_WORDS[d.severity]}" for d in moved[:3])
    stable = len(inputs) - len(moved)
    return LEVELS[worst], f"Drift: {named}; {plural(stable, 'other input')} stable."


def drift_rows(
    drift: list[ColumnDrift],
    label: Callable[[str], str] = str,
    outputs: dict[str, str] = MODEL_OUTPUTS,
) -> list[dict[str, str]]:
    rows = []
    for d in drift:
        test = (
            f"KS {_number(d.value('ks'))}"
            if d.kind == "numeric"
            else f"chi-square {_number(d.value('chi2'), 1)}"
        )
        rows.append(
            {
                "column": outputs.get(d.column) or label(d.column),
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


def where_context(
    where: DriftGroups | None, case: BusinessCase, mix: float | None = None
) -> dict[str, Any] | None:
    """The table of where the worst-moved input moved; `mix` is the bridge's (currency), which
    the text sets beside the move's own worth."""
    if where is None:
        return None
    currency, column_format = case.currency, case.formats.get(where.column, "number")
    return {
        "column": case.label(where.column),
        "groups": [
            {
                "label": g.label if g.bounds is None else group_words(g, column_format, currency),
                "reference": percent(g.reference_share, decimals=0),
                "window": percent(g.window_share, decimals=0),
                "value": money_each(g.value_per_prediction, currency)
                if g.value_per_prediction is not None
                else "n/a",
            }
            for g in where.groups
        ],
        "shift": money(where.shift_value, currency),
        "mix": signed_money(mix, currency) if mix is not None else None,
    }
