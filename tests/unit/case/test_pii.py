"""Personal columns: keyed hashes of their values, never the values."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bottomline.case.config import BusinessCase
from bottomline.case.errors import ConfigError
from bottomline.case.pii import derive_key, hash_personal_columns, pseudonym
from tests.helpers import case_document

KEY = derive_key("a secret of the data team")


def test_a_value_has_one_pseudonym_per_key() -> None:
    assert pseudonym("alice@example.com", KEY) == pseudonym("alice@example.com", KEY)
    assert pseudonym("alice@example.com", KEY) != pseudonym("bob@example.com", KEY)
    assert pseudonym("alice@example.com", KEY) != pseudonym("alice@example.com", derive_key("x"))
    assert len(pseudonym("alice@example.com", KEY)) == 16


def test_columns_are_hashed_as_text_and_missing_values_stay_missing() -> None:
    frame = pl.DataFrame({"email": ["a@x", None, "a@x"], "customer": [42, 7, None], "n": [1, 2, 3]})
    hashed = hash_personal_columns(frame, ["email", "customer", "absent"], KEY)
    assert hashed["email"].to_list() == [pseudonym("a@x", KEY), None, pseudonym("a@x", KEY)]
    assert hashed["customer"].to_list() == [pseudonym("42", KEY), pseudonym("7", KEY), None]
    assert hashed["n"].to_list() == [1, 2, 3]


def test_a_personal_column_must_be_kept_and_not_priced() -> None:
    with pytest.raises(ValueError, match=r"pii: 'email' is not a column this case keeps"):
        BusinessCase.model_validate(case_document(pii=["email"]))
    with pytest.raises(ValueError, match=r"pii: 'amount' is read by a value or baseline rule"):
        BusinessCase.model_validate(case_document(pii=["amount"]))


def test_without_a_key_the_case_says_what_to_set() -> None:
    case = BusinessCase.model_validate(case_document(pii=["band"]))
    case = case.model_copy(update={"path": Path("models/loans.yaml")})
    with pytest.raises(ConfigError, match=r"models/loans.yaml: pii: .*BOTTOMLINE_PII_KEY"):
        _ = case.pii_key
    assert case.with_pii_key(KEY).pii_key == KEY
    dumped = case.with_pii_key(KEY).model_dump()
    assert KEY not in dumped.values()
    assert not any("key" in name for name in dumped)
