from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from bottomline.sources import SourceError, content_hash, list_files, read_file


def test_globs_are_read_from_the_base_folder_sorted(tmp_path: Path) -> None:
    for name in ("b/2.csv", "a/1.csv", "a/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id\n1\n")
    found = list_files("*/*", tmp_path)
    assert [f.path.relative_to(tmp_path).as_posix() for f in found] == ["a/1.csv", "b/2.csv"]
    assert [f.size for f in found] == [5, 5]
    assert list_files("**/*.csv", tmp_path)[0].path.name == "1.csv"
    assert list_files(str(tmp_path / "a" / "*.csv"), Path("/elsewhere"))[0].path.name == "1.csv"


def test_each_format_reads_the_same_rows(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["a", "b"], "p": [0.25, 0.75]})
    frame.write_parquet(tmp_path / "f.parquet")
    frame.write_csv(tmp_path / "f.csv")
    frame.write_ndjson(tmp_path / "f.jsonl")
    for name in ("f.parquet", "f.csv", "f.jsonl"):
        assert read_file(tmp_path / name).to_dicts() == frame.to_dicts()


def test_hive_folders_add_their_key(tmp_path: Path) -> None:
    folder = tmp_path / "date=2026-05-01"
    folder.mkdir()
    pl.DataFrame({"id": ["a"]}).write_parquet(folder / "part-0.parquet")
    assert read_file(folder / "part-0.parquet").to_dicts() == [{"id": "a", "date": "2026-05-01"}]


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SourceError, match=r"empty\.csv: the file is empty"):
        read_file(tmp_path / "empty.csv")
    pl.DataFrame({"id": list(range(1000))}).write_parquet(tmp_path / "cut.parquet")
    data = (tmp_path / "cut.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match=r"cut\.parquet: cannot be read as parquet"):
        read_file(tmp_path / "cut.parquet")


def test_the_hash_follows_content_not_time(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("id\n1\n")
    first = content_hash(path)
    os.utime(path, (1, 1))
    assert content_hash(path) == first
    path.write_text("id\n2\n")
    assert content_hash(path) != first
