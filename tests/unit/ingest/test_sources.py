from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from bottomline.ingest.sources import SourceError, content_hash, list_files, read_file


def test_globs_are_read_from_the_base_folder_sorted(tmp_path: Path) -> None:
    for name in ("b/2.csv", "a/1.csv", "a/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id\n1\n")
    found = list_files("*/*", tmp_path)
    assert [f.path.relative_to(tmp_path).as_posix() for f in found] == ["a/1.csv", "b/2.csv"]
    assert [f.size for f in found] == [5, 5]
    assert list_files("**/*.csv", tmp_path)[0].path.name == "1.csv"
    assert list_files(str(tmp_path / "a" / "*.csv"), Path("/elsewhere"))[0].path.name == "1.csv"


def test_each_format_reads_the_same_rows_numbered_from_1(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["a", "b"], "p": [0.25, 0.75]})
    frame.write_parquet(tmp_path / "f.parquet")
    frame.write_csv(tmp_path / "f.csv")
    frame.write_ndjson(tmp_path / "f.jsonl")
    for name in ("f.parquet", "f.csv", "f.jsonl"):
        read = read_file(tmp_path / name)
        assert read.rows.to_dicts() == [
            {"source_row": 1, "id": "a", "p": 0.25},
            {"source_row": 2, "id": "b", "p": 0.75},
        ]
        assert read.unreadable.height == 0


def test_a_byte_order_mark_and_windows_line_endings_are_fine(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_bytes(b"\xef\xbb\xbfid,p\r\na,0.5\r\nb,0.7\r\n")
    assert read_file(tmp_path / "f.csv").rows.select("id", "p").rows() == [("a", 0.5), ("b", 0.7)]


def test_semicolon_and_tab_separated_files_are_recognised(tmp_path: Path) -> None:
    (tmp_path / "semi.csv").write_text("id;p\na;0.5\n")
    (tmp_path / "tab.csv").write_text("id\tp\na\t0.5\n")
    for name in ("semi.csv", "tab.csv"):
        assert read_file(tmp_path / name).rows.select("id", "p").rows() == [("a", 0.5)]


def test_a_line_that_is_not_json_is_set_aside_and_the_rest_load(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "a", "p": 0.5}\n{"id": "b", "p": \n\n[1, 2]\n{"id": "c", "p": 0.7}\n')
    read = read_file(path)
    assert read.rows.select("source_row", "id").rows() == [(1, "a"), (5, "c")]
    assert read.unreadable.select("source_row", "reason").rows() == [
        (2, "line 2 is not valid JSON (Expecting value at character 17)"),
        (4, "line 4 is not a JSON object"),
    ]
    assert read.unreadable["record"].to_list() == ['{"id": "b", "p":', "[1, 2]"]


def test_a_header_without_rows_reads_as_no_rows(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("id,p\n")
    assert read_file(tmp_path / "f.csv").rows.height == 0


def test_hive_folders_add_their_key(tmp_path: Path) -> None:
    folder = tmp_path / "date=2026-05-01"
    folder.mkdir()
    pl.DataFrame({"id": ["a"]}).write_parquet(folder / "part-0.parquet")
    assert read_file(folder / "part-0.parquet").rows.to_dicts() == [
        {"source_row": 1, "id": "a", "date": "2026-05-01"}
    ]


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SourceError, match=r"empty\.csv: the file is empty \(0 bytes\)"):
        read_file(tmp_path / "empty.csv")
    pl.DataFrame({"id": list(range(1000))}).write_parquet(tmp_path / "cut.parquet")
    data = (tmp_path / "cut.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match=r"cut\.parquet: cannot be read as parquet"):
        read_file(tmp_path / "cut.parquet")
    (tmp_path / "ragged.csv").write_text("id,p\na,0.5,extra,more\n")
    with pytest.raises(SourceError, match=r"ragged\.csv: cannot be read as csv"):
        read_file(tmp_path / "ragged.csv")
    (tmp_path / "f.xlsx").write_text("x")
    with pytest.raises(SourceError, match=r"unknown file type '\.xlsx'"):
        read_file(tmp_path / "f.xlsx")


def test_the_hash_follows_content_not_time(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("id\n1\n")
    first = content_hash(path)
    os.utime(path, (1, 1))
    assert content_hash(path) == first
    path.write_text("id\n2\n")
    assert content_hash(path) != first


def test_ids_and_categories_are_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("\ufeffid;band;amount\r\n00042;007;10\r\n1e3;12;20\r\n")
    rows = read_file(path, text_columns=["id", "band", "not_in_the_file"]).rows
    assert rows["id"].to_list() == ["00042", "1e3"]
    assert rows["band"].to_list() == ["007", "12"]
    assert rows["amount"].dtype == pl.Int64  # other columns are still typed from their values


def test_a_cell_that_breaks_the_guessed_type_late_in_a_csv_leaves_the_file_readable(
    tmp_path: Path,
) -> None:
    """Types were guessed from the first 10,000 rows, and one later cell (`high` in a column
    of numbers) made the whole file unreadable."""
    rows = [f"x{i},2026-05-02T10:00:00Z,0.5,1" for i in range(12_000)]
    rows[11_000] = "bad,2026-05-02T10:00:00Z,high,1"
    (tmp_path / "late.csv").write_text("id,ts,p,d\n" + "\n".join(rows) + "\n")
    frame = read_file(tmp_path / "late.csv").rows
    assert frame.height == 12_000
    assert frame["p"].dtype == pl.String  # as written; standardising decides row by row
    assert frame["p"][11_000] == "high"
    assert frame["d"].dtype == pl.Int64  # the other columns keep their types


def test_a_latin_1_file_read_as_utf_8_is_refused_naming_its_line(tmp_path: Path) -> None:
    """`Zürich` written in Latin-1 used to load as `Z\ufffdrich`."""
    for name in ("cities.csv", "cities.jsonl"):
        text = (
            "id,city\na,Bern\nb,Zürich\n"
            if name.endswith(".csv")
            else '{"id": "a", "city": "Bern"}\n{"id": "b", "city": "Zürich"}\n'
        )
        (tmp_path / name).write_bytes(text.encode("latin-1"))
        with pytest.raises(SourceError) as caught:
            read_file(tmp_path / name)
        assert str(caught.value) == (
            f"{tmp_path / name}: line {3 if name.endswith('.csv') else 2} is not UTF-8 text "
            "(byte 0xfc); if the file is written in another encoding, name it on the source, "
            "e.g. `source: {path: ..., encoding: latin-1}`"
        )
        assert read_file(tmp_path / name, encoding="latin-1").rows["city"].to_list() == [
            "Bern",
            "Zürich",
        ]


def test_a_replacement_character_written_as_utf_8_is_text_like_any_other(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("id,city\na,Z\ufffdrich\n", encoding="utf-8")
    assert read_file(tmp_path / "f.csv").rows["city"].to_list() == ["Z\ufffdrich"]
