"""The bins of a model's columns and the reference's profile over them, kept in the warehouse.

Built from the reference the first time, and again whenever the reference's rows change (its
fingerprint): then every stored day must be profiled again over the new bins.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.drift.bins import ColumnBins, build_bins, reference_fingerprint
from bottomline.drift.profiles import profile
from bottomline.measures.metrics import measure_reference
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run, transaction


def stored_bins(
    con: duckdb.DuckDBPyConnection,
    model: str,
) -> tuple[list[ColumnBins], str | None]:
    """The model's bins and the fingerprint of the reference they came from."""
    rows = run(con, load_sql("drift/edges"), {"model": model})
    bins = [
        ColumnBins(
            column=row[0],
            kind=row[1],
            edges=np.array(row[2], dtype=float),
            decile_edges=np.array(row[3], dtype=float),
            reference_mean=row[4],
            reference_std=row[5],
        )
        for row in rows
    ]
    return bins, (rows[0][6] if rows else None)


def current_bins(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, reference: pl.DataFrame, now: dt.datetime
) -> tuple[list[ColumnBins], bool]:
    """The bins for this reference, rebuilding them (and the reference's profile) when it
    changed; True when rebuilt, so that history must be profiled again."""
    fingerprint = reference_fingerprint(reference)
    bins, stored = stored_bins(con, case.name)
    if bins and stored == fingerprint:
        return bins, False
    bins = build_bins(reference, case)
    edges = pl.DataFrame(
        {
            "column_name": [b.column for b in bins],
            "kind": [b.kind for b in bins],
            "edges": [b.edges.tolist() for b in bins],
            "decile_edges": [b.decile_edges.tolist() for b in bins],
            "reference_mean": [b.reference_mean for b in bins],
            "reference_std": [b.reference_std for b in bins],
        },
        schema_overrides={
            "edges": pl.List(pl.Float64),
            "decile_edges": pl.List(pl.Float64),
            "reference_mean": pl.Float64,
            "reference_std": pl.Float64,
        },
    )
    keys = {"model": case.name}
    con.register("new_edges", edges)
    con.register("reference_profile", profile(_measured_reference(reference, case), bins))
    try:
        with transaction(con):
            run(con, load_sql("drift/edges_replace"), keys)
            run(
                con,
                load_sql("drift/edges_insert"),
                {**keys, "fingerprint": fingerprint, "now": now},
            )
            run(con, load_sql("drift/reference_replace"), keys)
            run(con, load_sql("drift/reference_insert"), keys)
    finally:
        con.unregister("new_edges")
        con.unregister("reference_profile")
    return bins, True


def _measured_reference(reference: pl.DataFrame, case: BusinessCase) -> pl.DataFrame:
    """Reference rows as profiles need them: every row matured, its realized value when the
    reference has the value rules' columns (else 0)."""
    rows = reference.with_columns(pl.lit(None, pl.Date).alias("day"))
    measured = measure_reference(rows, case)
    if measured is not None:
        return measured
    return rows.with_columns(
        pl.lit(1, pl.Int64).alias("matured"), pl.lit(0.0).alias("realized_value")
    )
