"""Object-storage source paths: the listing prefix and the glob, as a local glob reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bottomline.case.errors import ConfigError
from bottomline.case.store_access import GCS_ENDPOINT, StoreAccess, is_remote
from bottomline.ingest.object_store import ObjectPattern, StoreError
from tests.helpers import case_document, make_case


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("s3://logs/predictions/dt=*/*.parquet", "predictions/"),
        ("s3://logs/predictions/2026-*.csv", "predictions/"),
        ("s3://logs/a/b/c.parquet", "a/b/c.parquet"),
        ("gs://logs/**/*.jsonl", ""),
    ],
)
def test_a_listing_starts_at_the_globs_literal_folder(url: str, prefix: str) -> None:
    assert ObjectPattern.parse(url).prefix == prefix


@pytest.mark.parametrize(
    ("glob", "key", "matches"),
    [
        ("p/dt=*/*.parquet", "p/dt=2026-05-01/part-0.parquet", True),
        ("p/dt=*/*.parquet", "p/dt=2026-05-01/deeper/part-0.parquet", False),  # * is one folder
        ("p/**/*.parquet", "p/part-0.parquet", True),
        ("p/**/*.parquet", "p/a/b/part-0.parquet", True),
        ("p/part-?.csv", "p/part-7.csv", True),
        ("p/part-[0-3].csv", "p/part-4.csv", False),
        ("p/part-[!0-3].csv", "p/part-4.csv", True),
        ("p/a+b.csv", "p/a+b.csv", True),  # regex characters are literal
        ("p/a+b.csv", "p/aab.csv", False),
    ],
)
def test_keys_match_the_glob_as_paths_do(glob: str, key: str, matches: bool) -> None:
    assert ObjectPattern.parse(f"s3://logs/{glob}").matches(key) is matches


def test_a_path_without_a_bucket_or_key_is_refused() -> None:
    for url in ("s3://", "s3://logs", "s3://logs/"):
        with pytest.raises(StoreError, match="expected s3://bucket/key"):
            ObjectPattern.parse(url)
    assert is_remote("s3://logs/x.csv")
    assert not is_remote("data/s3://x.csv")


def test_google_cloud_storage_is_read_through_its_s3_endpoint() -> None:
    assert StoreAccess().for_source(None, "gs").endpoint_url == GCS_ENDPOINT
    assert StoreAccess().for_source(None, "s3").endpoint_url is None  # boto3's own default
    own = StoreAccess().for_source("http://127.0.0.1:9000", "s3")
    assert own.endpoint_url == "http://127.0.0.1:9000"


def test_an_endpoint_belongs_to_an_object_storage_source(tmp_path: Path) -> None:
    local = {**case_document()["outcomes"], "source": {"path": "o/*.csv", "endpoint_url": "x"}}
    with pytest.raises(ConfigError, match="`endpoint_url` is for an object-storage path"):
        make_case(tmp_path, outcomes=local)
    remote = {**local, "source": {"path": "s3://b/o/*.csv", "endpoint_url": "http://h:9000"}}
    case = make_case(tmp_path, outcomes=remote)
    assert case.store_access(case.outcomes.source).endpoint_url == "http://h:9000"
