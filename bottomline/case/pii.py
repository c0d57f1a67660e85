"""Personal columns, stored only as keyed hashes.

A case's `pii: [column, ...]` names prediction columns that identify people (an email, a
customer number, a postcode). Their values are replaced, as soon as a file is read and before
anything is checked or stored, by a keyed BLAKE2b hash of the value as text (16 hex
characters): the same value gives the same hash under the same key, so a personal column still
works as a segment or a drift input, but the warehouse, quarantine records, data docs and
reports only ever hold the hash. The key comes from outside the case (an environment variable
or a Prefect Secret block, read by the tasks layer) and is never stored. Lines that could not
be parsed at all are set aside without their text when the case has personal columns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import polars as pl

DIGEST_BYTES = 8  # 16 hex characters: no two of a million values share one in practice
WITHHELD = "(withheld: the business case marks personal columns)"


def derive_key(secret: str) -> bytes:
    """A 32-byte BLAKE2b key from the user's secret text, of any length."""
    return hashlib.sha256(secret.encode("utf-8")).digest()


def pseudonym(value: str, key: bytes) -> str:
    """The keyed hash that stands for a personal value."""
    return hashlib.blake2b(value.encode("utf-8"), key=key, digest_size=DIGEST_BYTES).hexdigest()


def hash_personal_columns(frame: pl.DataFrame, columns: Iterable[str], key: bytes) -> pl.DataFrame:
    """`frame` with each of `columns` it has replaced by the pseudonyms of its values as
    text (missing values stay missing). Each distinct value is hashed once."""
    replaced = []
    for column in columns:
        if column not in frame.columns:
            continue
        text = frame[column].cast(pl.String)
        distinct = text.drop_nulls().unique().to_list()
        mapping = {value: pseudonym(value, key) for value in distinct}
        replaced.append(text.replace_strict(mapping, default=None, return_dtype=pl.String))
    return frame.with_columns(replaced) if replaced else frame
