from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bottomline.case.errors import ConfigError
from bottomline.ingest.preflight import check_columns, sampled_files, source_columns
from tests.helpers import make_case, write_case


@pytest.fixture(autouse=True)
def reference_file(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The helper case's reference, present (one test takes it away)."""
    if "matching_nothing" not in request.node.name:
        (tmp_path / "reference.csv").write_text("p,y\n")


def test_columns_are_read_from_each_file_type(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["a"], "p": [0.5]})
    frame.write_parquet(tmp_path / "f.parquet")
    frame.write_csv(tmp_path / "f.csv")
    frame.write_ndjson(tmp_path / "f.jsonl")
    for name in ("f.parquet", "f.csv", "f.jsonl"):
        assert source_columns(tmp_path / name) == ["id", "p"]
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    assert source_columns(tmp_path / "bad.parquet") is None  # ingest will say why


def test_a_column_the_sources_lack_is_a_config_error_with_key_and_line(tmp_path: Path) -> None:
    (tmp_path / "predictions").mkdir()
    (tmp_path / "predictions" / "1.csv").write_text("id,ts,p,d,version,amounts,band\n")
    path = write_case(tmp_path)
    case = make_case(tmp_path)
    with pytest.raises(ConfigError) as caught:
        check_columns(case)
    error = caught.value
    assert error.key == "predictions.features"
    assert (
        "column 'amount' is not in the predictions source (its file 1.csv has id, "
        "ts, p, d, version, amounts, band); did you mean 'amounts'?" in str(error)
    )
    assert error.line == path.read_text().splitlines().index("  features:") + 1


def test_sources_with_the_columns_pass_and_a_path_matching_nothing_is_named(
    tmp_path: Path,
) -> None:
    """Before: a reference path that matched no file failed the model with a traceback; now
    it is the case's error, naming its line (exit 2, or that model only). Prediction and
    outcome paths may match nothing yet: ingest reports that."""
    case = make_case(tmp_path)
    with pytest.raises(ConfigError, match=r"reference.source.path: no file matches") as error:
        check_columns(case)
    assert error.value.line == 23
    (tmp_path / "reference.csv").write_text("p,y\n")
    check_columns(case)  # no predictions or outcomes yet
    (tmp_path / "predictions").mkdir()
    (tmp_path / "predictions" / "1.csv").write_text("id,ts,p,d,version,amount,band\n")
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "outcomes" / "1.csv").write_text("id,y\n")
    check_columns(case)


def test_one_file_without_a_column_is_left_to_ingest_when_others_have_it(tmp_path: Path) -> None:
    """A wrong-column file that sorted first used to stop every model's night (exit 2)."""
    (tmp_path / "predictions").mkdir()
    (tmp_path / "predictions" / "0-odd.csv").write_text("id,when\n")
    for day in range(1, 9):
        (tmp_path / "predictions" / f"{day}.csv").write_text("id,ts,p,d,version,amount,band\n")
    check_columns(make_case(tmp_path))


def test_a_column_no_sampled_file_has_names_the_newest_file(tmp_path: Path) -> None:
    (tmp_path / "predictions").mkdir()
    for day in range(1, 9):
        (tmp_path / "predictions" / f"{day}.csv").write_text("id,ts,p,d,version,amount,bands\n")
    with pytest.raises(ConfigError) as caught:
        check_columns(make_case(tmp_path))
    assert (
        "column 'band' is not in the predictions source (none of the 5 files looked at has it; "
        "the newest, 8.csv, has id, ts, p, d, version, amount, bands); did you mean 'bands'?"
    ) in str(caught.value)


def test_the_files_sampled_are_the_first_the_last_and_evenly_between() -> None:
    files = [Path(f"{number}.csv") for number in range(1, 101)]
    assert [path.stem for path in sampled_files(files)] == ["1", "26", "51", "75", "100"]
    assert sampled_files(files[:3]) == files[:3]
