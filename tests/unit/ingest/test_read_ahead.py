"""Files are hashed and read one ahead of the one being written: in order, errors in their
place, and a file with the ledger's bytes not read at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bottomline.ingest.file_reads import Candidate, read_ahead
from bottomline.ingest.normalize import Standardized
from bottomline.ingest.sources import SourceError, content_hash, list_files
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
    (folder / "4.csv").write_text("not,even,read\n")
    files = list_files("predictions/*.csv", tmp_path)
    known = {4: content_hash(files[3].path)}  # the ledger has these bytes: touched, not changed
    taken: list[int] = []

    def candidates() -> Iterator[Candidate]:
        for number, source in enumerate(files, start=1):
            taken.append(number)
            yield Candidate(number, source, known.get(number))

    reads = read_ahead(candidates(), case, "predictions", column_kinds(case, None))
    candidate, first = next(reads)
    assert (candidate.number, taken) == (1, [1, 2])  # the second is being read meanwhile
    assert first.digest == content_hash(files[0].path)
    assert isinstance(first.content, Standardized)
    assert first.content.rows["prediction_id"].to_list() == ["a"]
    rest = list(reads)
    assert [item[0].number for item in rest] == [2, 3, 4]
    assert isinstance(rest[0][1].content, SourceError)
    assert "empty" in str(rest[0][1].content)
    assert isinstance(rest[1][1].content, Standardized)
    assert rest[1][1].content.rows["prediction_id"].to_list() == ["b"]
    assert rest[2][1].content is None  # same bytes: not read (it would not even parse)
