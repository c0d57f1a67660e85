"""A check is defined once and executed two ways that agree by construction.

`to_gx` (in `gx_runner`) turns it into a Great Expectations expectation, which gives the
record of the validation and its data docs. `failing_rows` turns it into a Polars predicate
with the same semantics as GX on pandas (nulls and NaN are "missing"; range and set checks
ignore missing values), which picks the rows to set aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl


@dataclass(frozen=True)
class NotNull:
    """Values are present (not null, not NaN) in at least `mostly` of the rows."""

    column: str
    mostly: float = 1.0


@dataclass(frozen=True)
class Between:
    """Present values lie in [low, high] (either end may be open)."""

    column: str
    low: float | None = None
    high: float | None = None
    mostly: float = 1.0


@dataclass(frozen=True)
class InSet:
    """Present values are among `values`."""

    column: str
    values: tuple[Any, ...]
    mostly: float = 1.0


@dataclass(frozen=True)
class RowCountAtLeast:
    """The batch has at least `minimum` rows (a table-level check)."""

    minimum: int


Check = NotNull | Between | InSet | RowCountAtLeast


def missing(column: str, dtype: pl.DataType) -> pl.Expr:
    """Null, or NaN for floating-point columns (pandas counts both as missing)."""
    value = pl.col(column)
    if dtype.is_float():
        return value.is_null() | value.is_nan()
    return value.is_null()


def failing_rows(check: Check, schema: pl.Schema) -> pl.Expr | None:
    """True for each row that breaks the check; None for table-level checks."""
    if isinstance(check, RowCountAtLeast):
        return None
    absent = missing(check.column, schema[check.column])
    if isinstance(check, NotNull):
        return absent
    value = pl.col(check.column)
    if isinstance(check, Between):
        outside = pl.lit(False)
        if check.low is not None:
            outside = outside | (value < check.low)
        if check.high is not None:
            outside = outside | (value > check.high)
        return ~absent & outside
    return ~absent & ~value.is_in(list(check.values))


def passes(check: Check, frame: pl.DataFrame) -> tuple[bool, int]:
    """Whether the frame meets the check, and how many rows break it (as GX would judge)."""
    if isinstance(check, RowCountAtLeast):
        return frame.height >= check.minimum, 0
    predicate = failing_rows(check, frame.schema)
    assert predicate is not None
    failing = int(frame.select(predicate.sum()).item() or 0)
    if isinstance(check, NotNull):
        considered = frame.height
    else:
        considered = frame.height - int(
            frame.select(missing(check.column, frame.schema[check.column]).sum()).item() or 0
        )
    return considered == 0 or failing <= (1 - check.mostly) * considered + 1e-9, failing
