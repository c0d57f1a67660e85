"""Files are read one ahead of the one being written: in order, errors in their place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bottomline.ingest import ChangedFile, _read_ahead
from bottomline.normalize import Standardized
from bottomline.sources import SourceError, list_files
from bottomline.validation.profile import column_kinds
from tests.helpers import make_case

HEADER = "id,ts,p,d,version,amount,band\n"


def test_files_come_in_order_one_read_ahead_with_errors_in_their_place(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    folder = tmp_path / "predictions"
    folder.mkdir()
    (folder / "1.csv").write_text(HEADER + "a,2026-05-02T10:00:00Z,0.5,1,v1,100,A\n")
    (folder / "2.csv").write_text("")
    (folder / "3.csv").write_text(HEADER + "b,2026-05-02T11:00:00Z,0.7,1,v1,200,B\n")
    files = list_files("predictions/*.csv", tmp_path)
    taken: list[int] = []

    def changed() -> Iterator[ChangedFile]:
        for number, source in enumerate(files, start=1):
            taken.append(number)
            yield number, source, f"digest {number}"

    reads = _read_ahead(changed(), case, "predictions", column_kinds(case, None))
    (number, _, digest), first = next(reads)
    assert (number, digest, taken) == (1, "digest 1", [1, 2])  # the second is being read
    assert isinstance(first, Standardized)
    assert first.rows["prediction_id"].to_list() == ["a"]
    rest = list(reads)
    assert [item[0][0] for item in rest] == [2, 3]
    assert isinstance(rest[0][1], SourceError)
    assert "empty" in str(rest[0][1])
    assert isinstance(rest[1][1], Standardized)
    assert rest[1][1].rows["prediction_id"].to_list() == ["b"]
