"""The reference: labelled data that shows what "normal" looks like for a model.

Either a file (the model's validation data, with the prediction columns and the outcome
label column) or a window of the model's own labelled production history. Returned with the
standard column names: score, label, decision, model_version, and the case's kept columns.
"""

from __future__ import annotations

import duckdb
import polars as pl

from bottomline.archive.reads import archived_rows
from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import class_index, multiclass_output, without_personal_values
from bottomline.ingest.sources import SourceError, SourceFile, list_files, local_copy, read_file
from bottomline.sqlfiles import load_sql


class ReferenceError(ValueError):
    """The reference is missing or unusable; the message says which file or window."""


def load_reference(case: BusinessCase, con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Labelled reference rows with valid scores and labels."""
    spec = case.reference
    if spec.window is not None:
        with archived_rows(con, case.name, spec.window.start, spec.window.end):
            frame: pl.DataFrame = con.sql(
                load_sql("measures/aggregate/reference_window", schema=case.name),
                params={"start": spec.window.start, "end": spec.window.end},
            ).pl()
        where = f"the window {spec.window.start} to {spec.window.end} of {case.name}"
    else:
        assert spec.source is not None  # the config requires a source or a window
        frame = _read_reference_files(case, spec.source.pattern, spec.source.encoding)
        where = spec.source.pattern
    if case.is_regression:
        usable = frame.filter(pl.col("score").is_finite() & pl.col("actual").is_finite())
        wanted = "prediction and actual"
    elif case.is_multiclass:
        scores = [pl.col(column) for column in case.score_columns]
        tolerance = case.predictions.score_tolerance
        usable = frame.filter(
            pl.all_horizontal([score.is_between(0, 1) for score in scores]),
            (pl.sum_horizontal(scores) - 1).abs() <= tolerance,
            pl.col("label").is_not_null(),
            pl.col("decision").is_not_null(),
        )
        wanted = "set of class scores and label"
    else:
        usable = frame.filter(
            pl.col("score").is_finite()
            & pl.col("score").is_between(0, 1)
            & pl.col("label").is_in([0, 1])
        )
        wanted = "score and label"
    if usable.height == 0:
        raise ReferenceError(f"reference {where}: no rows with a valid {wanted}")
    return usable


def _read_reference_files(case: BusinessCase, pattern: str, encoding: str | None) -> pl.DataFrame:
    source_spec = case.reference.source
    access = case.store_access(source_spec) if source_spec is not None else None
    files = list_files(pattern, case.base_dir, access)
    if not files:
        raise ReferenceError(f"reference: no file matches {pattern!r} (read from {case.base_dir})")
    return pl.concat(
        [_read_reference_file(case, source, encoding) for source in files],
        how="diagonal_relaxed",
    )


def _read_reference_file(
    case: BusinessCase, source: SourceFile, encoding: str | None
) -> pl.DataFrame:
    """One reference file's rows, an object downloaded first."""
    with local_copy(source, keep=True) as path:  # read by ingest, aggregation and report
        read = read_file(path, case.predictions.categorical or [], encoding, source.location)
    return _standard_reference(without_personal_values(read, case).rows, case, source.location)


def _standard_reference(raw: pl.DataFrame, case: BusinessCase, name: str) -> pl.DataFrame:
    spec = case.predictions
    outputs = case.score_columns if case.is_multiclass else [case.output_column]
    outcome = case.outcome_column
    missing = [column for column in (*outputs, outcome) if column not in raw.columns]
    if missing:
        raise SourceError(
            name,
            f"reference lacks column(s) {', '.join(missing)} (the {case.output_key} "
            f"and {case.outcome_key} columns of the case)",
        )
    if case.is_multiclass:
        raw = raw.with_columns(pl.col(outputs).cast(pl.Float64, strict=False))
        score, decision, _ = multiclass_output(case)
        label = class_index(outcome, case.class_names)
        columns = [score.alias("score"), label.alias("label"), decision.alias("decision")]
    else:
        columns = [pl.col(outputs[0]).cast(pl.Float64, strict=False).alias("score")]
        columns += _outcome_and_decision(raw, case)
    if spec.model_version and spec.model_version in raw.columns:
        columns.append(pl.col(spec.model_version).cast(pl.String).alias("model_version"))
    columns += [pl.col(column) for column in case.kept_columns() if column in raw.columns]
    return raw.select(columns)


def _outcome_and_decision(raw: pl.DataFrame, case: BusinessCase) -> list[pl.Expr]:
    """label and decision (a classifier's), or actual (a regression model's; no label, no
    decision)."""
    spec, output, outcome = case.predictions, case.output_column, case.outcome_column
    if case.is_regression:
        return [
            pl.lit(None, pl.Int8).alias("label"),
            pl.col(outcome).cast(pl.Float64, strict=False).alias("actual"),
            pl.lit(None, pl.Int8).alias("decision"),
        ]
    label = pl.col(outcome).cast(pl.Int8, strict=False).alias("label")
    if spec.decision and spec.decision in raw.columns:
        return [label, pl.col(spec.decision).cast(pl.Int8, strict=False).alias("decision")]
    return [label, (pl.col(output) >= spec.threshold).cast(pl.Int8).alias("decision")]
