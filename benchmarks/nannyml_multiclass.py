"""Does a multiclass value matrix mean what it means in NannyML? The same constant matrix,
the same offers, realized value by both.

    uv run bottomline demo                                    # writes var/demo/card_offers
    /tmp/nannyml/bin/python benchmarks/nannyml_multiclass.py nannyml var/demo/card_offers
    uv run python -m benchmarks.nannyml_multiclass bottomline var/demo/card_offers

NannyML 0.13 (in an environment of its own, see `benchmarks/nannyml_anchor.py`) takes an n x n
`business_value_matrix` whose element [i][j] is the value of true class i predicted as j,
classes in sorted order. Bottomline's case takes `value.matrix[true][decided]` by class name.
Each mode prints the realized value of the matured offers under MATRIX, in one chunk.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")

# value[true][decided], EUR, by class name; NannyML wants the rows and columns sorted
MATRIX = {
    "cashback": {"cashback": 40.0, "premium": -40.0, "travel": -15.0},
    "premium": {"cashback": 5.0, "premium": 160.0, "travel": 60.0},
    "travel": {"cashback": 7.0, "premium": -25.0, "travel": 100.0},
}
CLASSES = sorted(MATRIX)


def nannyml_value(folder: Path) -> float:
    import nannyml as nml
    import pandas as pd

    joined = pd.concat(
        pd.read_parquet(p) for p in sorted((folder / "predictions").glob("*/*.parquet"))
    )
    outcomes = pd.concat(
        pd.read_parquet(p) for p in sorted((folder / "outcomes").glob("*/*.parquet"))
    )
    data = joined.merge(outcomes[["offer_id", "card_taken"]], on="offer_id")
    reference = pd.read_parquet(folder / "reference.parquet")
    calculator = nml.PerformanceCalculator(
        y_pred_proba={name: f"p_{name}" for name in CLASSES},
        y_pred="card_offered",
        y_true="card_taken",
        problem_type="classification_multiclass",
        metrics=["business_value"],
        business_value_matrix=[[MATRIX[t][d] for d in CLASSES] for t in CLASSES],
        chunk_number=1,
    )
    calculator.fit(reference)
    result = calculator.calculate(data).filter(period="analysis").to_df()
    return float(result[("business_value", "value")].iloc[0])


def bottomline_value(folder: Path) -> float:
    import polars as pl

    from bottomline.case.config import BusinessCase
    from bottomline.ingest.normalize import class_index
    from bottomline.measures.multiclass import fit_class_calibration, multiclass_measures

    case = BusinessCase.model_validate(
        {
            "name": "offers", "title": "Offers", "currency": "EUR",
            "task": "multiclass_classification", "classes": CLASSES, "calibration": "none",
            "predictions": {"source": {"path": "p"}, "id": "offer_id", "timestamp": "offered_at",
                            "scores": {name: f"p_{name}" for name in CLASSES},
                            "decision": "card_offered"},
            "outcomes": {"source": {"path": "o"}, "id": "offer_id", "label": "card_taken"},
            "reference": {"source": {"path": "r"}},
            "value": {"matrix": MATRIX},
        }
    )  # fmt: skip
    predictions = pl.read_parquet(folder / "predictions" / "*" / "*.parquet")
    outcomes = pl.read_parquet(folder / "outcomes" / "*" / "*.parquet")
    joined = predictions.join(outcomes.select("offer_id", "card_taken"), on="offer_id")
    rows = joined.with_columns(
        class_index("card_offered", CLASSES).alias("decision"),
        class_index("card_taken", CLASSES).alias("label"),
    )
    measured = multiclass_measures(rows, case, fit_class_calibration(rows, case))
    return float(measured["realized_value"].sum())


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2])
    value = nannyml_value(folder) if mode == "nannyml" else bottomline_value(folder)
    print(f"{mode}: realized value {value:,.2f} EUR")
