"""What the warehouse already holds of a group's prediction ids, looked up once per group.

A group's units are then written without searching the stored rows again when none of their
ids is stored from another unit (the common case: a night of new predictions, or outcomes
arriving for the first time): one search of the stored ids per group, instead of three per
file. Both kinds search the stored predictions' 64-bit id hashes first (a number, about
three times cheaper to match than text; see ingest/ids_loaded_elsewhere.sql); an outcome
group's search for outcomes stored from other files reads only the outcomes of its
predictions' days (and those without one). The hash search still reads every stored hash: 8
bytes a stored prediction, cheap against 30M rows (see README, Performance), but a history of
billions of rows would want a bounded index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import duckdb
import polars as pl

from bottomline.archive.reads import archived_files
from bottomline.ingest.normalize import Standardized
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row

Kind = Literal["predictions", "outcomes"]


@dataclass(frozen=True)
class StoredIds:
    """Predictions: `known` are the group's ids stored from units outside the group.
    Outcomes: `known` are the group's ids with a stored prediction, whose days are in
    `prediction_days`. `all_new`: no id has a row from another unit, stored or in the group.

    A group's outcome days are marked stale with its first unit (a superset of that unit's
    days, which only means a day recomputed that did not strictly need it)."""

    known: pl.Series
    prediction_days: pl.DataFrame  # outcomes: the days of their stored predictions, unique
    all_new: bool
    every_id_known: bool = False  # outcomes: every id of the group has a stored prediction
    prediction_of: pl.DataFrame | None = None  # outcomes: prediction_id -> day, where stored


def lookup_stored_ids(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, files: list[Standardized]
) -> StoredIds:
    """One search of the stored rows for all ids of the group's units."""
    ids = pl.concat([file.rows.select("prediction_id") for file in files]).drop_nulls()
    con.register("batch_ids", ids)
    con.register("batch_files", pl.DataFrame({"source_file": [f.source_file for f in files]}))
    try:
        if kind == "predictions":
            found = con.sql(load_sql("ingest/ids_loaded_elsewhere", schema=model)).pl()
            known = found["prediction_id"].cast(pl.String)
            days = pl.DataFrame(schema={"day": pl.Date})
            stored_elsewhere = not known.is_empty()
        else:
            found = con.sql(load_sql("ingest/ids_with_prediction", schema=model)).pl()
            found = _with_archived_predictions(
                con,
                model,
                ids,
                found.with_columns(
                    pl.col("prediction_id").cast(pl.String), pl.col("day").cast(pl.Date)
                ),
            )
            known = found["prediction_id"]
            days = found.select("day").unique()
            stored_elsewhere = _outcomes_stored_elsewhere(con, model, days)
    finally:
        con.unregister("batch_ids")
        con.unregister("batch_files")
    # `known` holds only ids of the group: as many distinct ones as the group has ids means all.
    every_id_known = kind == "outcomes" and _distinct_count(known) == ids.height
    return StoredIds(
        known,
        days,
        all_new=not stored_elsewhere and not _shared_ids(files, ids["prediction_id"]),
        every_id_known=every_id_known,
        prediction_of=found if kind == "outcomes" else None,
    )


def _with_archived_predictions(
    con: duckdb.DuckDBPyConnection, model: str, ids: pl.DataFrame, found: pl.DataFrame
) -> pl.DataFrame:
    """`found` (prediction_id, day of the stored prediction) with the ids whose prediction is
    in the archive: outcomes that arrived after their prediction was archived. The archive is
    read (its id hashes) only when some outcome's prediction is not in the warehouse."""
    if _distinct_count(found["prediction_id"]) == ids.height:
        return found
    files = archived_files(con, model, "predictions", dt.date.min, dt.date.max)
    if not files:
        return found
    missing = ids.filter(~pl.col("prediction_id").is_in(found["prediction_id"].implode()))
    con.register("batch_missing_ids", missing)
    try:
        archived = con.sql(
            load_sql("archive/ids_with_archived_prediction"), params={"files": files}
        ).pl()
    finally:
        con.unregister("batch_missing_ids")
    archived = archived.with_columns(
        pl.col("prediction_id").cast(pl.String), pl.col("day").cast(pl.Date)
    )
    both: pl.DataFrame = pl.concat([found, archived.select(found.columns)])
    return both


def _outcomes_stored_elsewhere(
    con: duckdb.DuckDBPyConnection, model: str, days: pl.DataFrame
) -> bool:
    """Has an id of the group an outcome stored from another file? Searched among the
    outcomes of the days of the group's predictions and those without a day."""
    first, last = (days["day"].min(), days["day"].max()) if days.height else (None, None)
    con.register("batch_days", days)
    try:
        answer = first_row(
            con,
            load_sql("ingest/outcomes_stored_elsewhere", schema=model),
            {"first_day": first, "last_day": last},
        )
    finally:
        con.unregister("batch_days")
    return bool(answer and answer[0])


def distinct_ids(ids: pl.Series) -> bool:
    """Does no id (missing ones aside) come twice? Compared by 64-bit hash, far cheaper than
    by text. A collision can only answer False, which sends the caller down its exact path,
    so shortcuts taken on True are never taken wrongly."""
    present = ids.drop_nulls()
    return _distinct_count(present) == present.len()


def _distinct_count(ids: pl.Series) -> int:
    """Distinct ids, at most (ids with equal hashes count once)."""
    return ids.hash(seed=0).n_unique()


def _shared_ids(files: list[Standardized], group_ids: pl.Series) -> bool:
    """Does any prediction id appear in more than one file of the group? (Then the group has
    fewer distinct ids than its files have between them.) `group_ids`: all files' ids."""
    if len(files) < 2 or distinct_ids(group_ids):
        return False
    ids = [file.rows["prediction_id"].drop_nulls() for file in files]
    return sum(column.n_unique() for column in ids) > pl.concat(ids).n_unique()
