"""What a run writes is readable by its owner only, unless the user says otherwise."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tasks.settings import Paths, keep_files_private


@pytest.fixture
def umask_kept() -> Iterator[None]:
    """The test process's umask as it was, whatever the test sets."""
    before = os.umask(0o022)
    os.umask(before)
    try:
        yield
    finally:
        os.umask(before)


def paths_in(root: Path) -> Paths:
    (root / "reports").mkdir(mode=0o755)
    (root / "reports").chmod(0o755)
    (root / "w.duckdb").write_bytes(b"")
    (root / "w.duckdb").chmod(0o644)
    return Paths.resolve(str(root / "models"), str(root / "w.duckdb"), str(root / "reports"),
                         str(root / "outbox"))  # fmt: skip


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_warehouse_reports_and_new_files_become_owner_only(
    tmp_path: Path, umask_kept: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOTTOMLINE_FILE_MODE", raising=False)
    tmp_path.chmod(0o755)
    paths = paths_in(tmp_path)
    assert keep_files_private(paths)
    assert (mode(paths.reports_dir), mode(paths.warehouse)) == (0o700, 0o600)
    report = paths.reports_dir / "model" / "report.pdf"
    report.parent.mkdir()
    report.write_bytes(b"%PDF")
    assert (mode(report.parent), mode(report)) == (0o700, 0o600)
    assert mode(tmp_path) == 0o755  # the user's own folder is left as it was


def test_shared_leaves_modes_as_they_were(
    tmp_path: Path, umask_kept: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOTTOMLINE_FILE_MODE", "shared")
    os.umask(0o022)
    paths = paths_in(tmp_path)
    assert not keep_files_private(paths)
    assert (mode(paths.reports_dir), mode(paths.warehouse)) == (0o755, 0o644)
    (paths.reports_dir / "report.pdf").write_bytes(b"%PDF")
    assert mode(paths.reports_dir / "report.pdf") == 0o644
