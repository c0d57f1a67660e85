"""The key personal columns are hashed with comes from the environment or a Prefect Secret
block, never from the case file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bottomline.case.pii import derive_key
from tasks.settings import with_pii_key
from tests.helpers import make_case


def test_the_key_comes_from_a_prefect_secret_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.blocks.system import Secret

    Secret(value="kept in the vault").save("bottomline-pii-test", overwrite=True)
    monkeypatch.delenv("BOTTOMLINE_PII_KEY", raising=False)
    monkeypatch.setenv("BOTTOMLINE_PII_KEY_BLOCK", "bottomline-pii-test")
    case = with_pii_key(make_case(tmp_path, pii=["band"]))
    assert case.pii_key == derive_key("kept in the vault")


def test_the_environment_wins_and_a_case_without_personal_columns_needs_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOTTOMLINE_PII_KEY", "from the environment")
    monkeypatch.setenv("BOTTOMLINE_PII_KEY_BLOCK", "no-such-block")
    assert with_pii_key(make_case(tmp_path, pii=["band"])).pii_key == derive_key(
        "from the environment"
    )
    monkeypatch.delenv("BOTTOMLINE_PII_KEY")
    plain = with_pii_key(make_case(tmp_path / "plain"))
    assert plain.pii == []
