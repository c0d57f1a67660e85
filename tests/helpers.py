"""Small builders shared by tests: business cases written as real YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bottomline.case.config import BusinessCase, load_case


def case_document(**overrides: Any) -> dict[str, Any]:
    """A minimal valid business case as a dict; keys given replace the defaults."""
    document: dict[str, Any] = {
        "name": "loans",
        "title": "Loans",
        "currency": "EUR",
        "timezone": "UTC",
        "predictions": {
            "source": {"path": "predictions/*.csv"},
            "id": "id",
            "timestamp": "ts",
            "score": "p",
            "decision": "d",
            "model_version": "version",
            "features": ["amount", "band"],
        },
        "outcomes": {"source": {"path": "outcomes/*.csv"}, "id": "id", "label": "y"},
        "reference": {"source": {"path": "reference.csv"}},
        "value": {
            "true_positive": "0.1 * amount",
            "false_positive": "-0.5 * amount",
            "true_negative": 0,
            "false_negative": -10,
        },
        "calibration": "none",
        "segments": ["band"],
    }
    document.update(overrides)
    return document


def write_case(folder: Path, **overrides: Any) -> Path:
    document = case_document(**overrides)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{document['name']}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def make_case(folder: Path, **overrides: Any) -> BusinessCase:
    return load_case(write_case(folder, **overrides))
