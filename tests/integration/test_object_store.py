"""Issue 23: sources in object storage, against a real S3-compatible server on loopback (moto's
server mode). Faults are made where they happen, in the requests of Bottomline's own client:
an object deleted between listing and reading, a store that throttles, a connection that
drops mid-download, a bucket without permission."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bottomline.case.config import BusinessCase
from bottomline.ingest.loading import IngestSummary
from bottomline.ingest.run import IngestContext, ingest_model
from bottomline.validation.gx_runner import GxValidator
from bottomline.warehouse import migrate
from tests.helpers import make_case
from tests.integration.conftest import SETTINGS, make_project, pdf_text
from tests.integration.s3 import (
    KEYS,
    REGION,
    S3Server,
    Watch,
    broken_body,
    error_response,
    running_server,
    times,
    watched,
)
from tests.integration.test_nightly import PERIOD_START, run_nightly
from tests.sql.conftest import NOW, con

__all__ = ["con", "watched"]  # fixtures, used by name

BUCKET = "model-logs"
DAYS = ["2026-05-01", "2026-05-02", "2026-05-03"]


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with running_server() as server:
        yield server


def csv_day(day: str, first_id: int) -> bytes:
    rows = [
        f"{first_id + i},{day}T0{i}:00:00,{0.1 + 0.2 * i:.1f},{int(i >= 2)},v1,{100 + i},A"
        for i in range(4)
    ]
    return ("id,ts,p,d,version,amount,band\n" + "\n".join(rows) + "\n").encode()


@pytest.fixture
def bucket(s3: S3Server, request: pytest.FixtureRequest) -> str:
    """A bucket of its own per test: three days of predictions in hive folders, a reference."""
    name = s3.bucket(f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}")
    client = s3.client()
    for number, day in enumerate(DAYS):
        key = f"loans/predictions/dt={day}/part-0.csv"
        client.put_object(Bucket=name, Key=key, Body=csv_day(day, 10 * number))
    client.put_object(Bucket=name, Key="loans/outcomes/o.csv", Body=b"id,y\n0,1\n1,0\n")
    reference = "p,y,version,amount,band\n" + "".join(
        f"{i / 10},{int(i >= 5)},v1,{50 * (i + 1)},{'AB'[i % 2]}\n" for i in range(10)
    )
    client.put_object(Bucket=name, Key="loans/reference.csv", Body=reference.encode())
    return name


def s3_case(tmp_path: Path, s3: S3Server, bucket: str) -> BusinessCase:
    case = make_case(
        tmp_path,
        predictions={
            "source": {"path": f"s3://{bucket}/loans/predictions/dt=*/*.csv"},
            "id": "id", "timestamp": "ts", "score": "p", "decision": "d",
            "model_version": "version", "features": ["amount", "band"],
        },
        outcomes={"source": {"path": f"s3://{bucket}/loans/outcomes/*.csv"}, "id": "id",
                  "label": "y"},
        reference={"source": {"path": f"s3://{bucket}/loans/reference.csv"}},
    )  # fmt: skip
    return case.with_store_access(s3.access())


def ingest(case: BusinessCase, con: duckdb.DuckDBPyConnection, run: str = "r1") -> dict[str, Any]:
    report = ingest_model(con, IngestContext(case, run, NOW), GxValidator(run, NOW))
    summaries: dict[str, IngestSummary] = {s.kind: s for s in report.summaries}
    return summaries


def test_objects_load_like_files_and_unchanged_ones_are_not_downloaded_again(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    case = s3_case(tmp_path, s3, bucket)
    first = ingest(case, con)["predictions"]
    assert (first.files_found, first.files_loaded, first.rows_loaded) == (3, 3, 12)
    days = con.execute("SELECT DISTINCT day FROM loans.predictions ORDER BY day").fetchall()
    assert [str(day) for (day,) in days] == DAYS
    key = f"loans/predictions/dt={DAYS[0]}/part-0.csv"
    ledger = con.execute(
        "SELECT path, size, content_hash, etag FROM ingested_files "
        "WHERE path LIKE '%dt=2026-05-01%'"
    ).fetchone()
    assert ledger is not None
    body = csv_day(DAYS[0], 0)
    assert ledger[:3] == (f"s3://{bucket}/{key}", len(body), hashlib.sha256(body).hexdigest())
    assert ledger[3] == hashlib.md5(body).hexdigest()  # a single-part upload's ETag
    stored = con.execute("SELECT DISTINCT source_file FROM loans.predictions").fetchall()
    assert all(path.startswith(f"s3://{bucket}/") for (path,) in stored)

    downloads = watched.downloads("/predictions/")
    again = ingest(case, con, "r2")["predictions"]
    assert (again.files_unchanged, again.files_loaded) == (3, 0)
    assert watched.downloads("/predictions/") == downloads  # none: size and ETag match

    client = s3.client()
    client.put_object(Bucket=bucket, Key=key, Body=body)  # the same bytes, uploaded again
    changed = f"loans/predictions/dt={DAYS[1]}/part-0.csv"
    client.put_object(Bucket=bucket, Key=changed, Body=csv_day(DAYS[1], 100))
    third = ingest(case, con, "r3")["predictions"]
    assert (third.files_unchanged, third.files_loaded) == (2, 1)
    assert watched.downloads("/predictions/") == downloads + 1  # only the changed object
    assert con.execute("SELECT count(*) FROM loans.predictions").fetchone() == (12,)


def test_an_object_deleted_between_listing_and_reading_is_named_and_the_rest_load(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    gone = f"loans/predictions/dt={DAYS[1]}/part-0.csv"

    def delete_first(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key") == gone:
            s3.client().delete_object(Bucket=bucket, Key=gone)

    watched.handlers.append(("provide-client-params.s3.GetObject", delete_first))
    summary = ingest(s3_case(tmp_path, s3, bucket), con)["predictions"]
    assert summary.files_loaded == 2
    assert summary.errors == [
        f"s3://{bucket}/{gone}: the object was listed but is gone or was replaced before it was "
        "read; the next run reads it if it is there"
    ]
    assert con.execute("SELECT count(*) FROM loans.predictions").fetchone() == (8,)


def test_throttling_is_retried_with_backoff(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    watched.handlers.append(("before-send.s3.GetObject", times(error_response(503, "SlowDown"), 2)))
    summary = ingest(s3_case(tmp_path, s3, bucket), con)["predictions"]
    assert (summary.files_loaded, summary.errors) == (3, [])


def test_a_store_that_keeps_refusing_gives_one_error_per_file_and_loads_nothing_of_it(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    refused = f"loans/predictions/dt={DAYS[2]}/part-0.csv"
    slow_down = error_response(503, "SlowDown")

    def refuse_one(request: Any, **kwargs: Any) -> Any:
        return slow_down(request, **kwargs) if DAYS[2] in request.url else None

    watched.handlers.append(("before-send.s3.GetObject", refuse_one))
    summary = ingest(s3_case(tmp_path, s3, bucket), con)["predictions"]
    assert summary.files_loaded == 2
    assert summary.errors == [
        f"s3://{bucket}/{refused}: the store kept refusing (SlowDown) after every retry; try later"
    ]
    stored = con.execute("SELECT count(*) FROM loans.predictions WHERE day = $d", {"d": DAYS[2]})
    assert stored.fetchone() == (0,)
    assert con.execute(
        "SELECT count(*) FROM ingested_files WHERE path LIKE '%dt=2026-05-03%'"
    ).fetchone() == (0,)


def test_a_download_that_breaks_off_is_tried_again_then_named(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    watched.handlers.append(("after-call.s3.GetObject", times(broken_body, 1)))
    summary = ingest(s3_case(tmp_path, s3, bucket), con)["predictions"]
    assert (summary.files_loaded, summary.errors) == (3, [])  # the second attempt came whole

    watched.handlers[-1] = ("after-call.s3.GetObject", broken_body)  # every attempt breaks
    fresh = duckdb.connect(":memory:")
    migrate(fresh, NOW)
    broken = ingest(s3_case(tmp_path, s3, bucket), fresh)["predictions"]
    assert broken.files_loaded == 0
    assert len(broken.errors) == 3
    assert broken.errors[0].startswith(
        f"s3://{bucket}/loans/predictions/dt={DAYS[0]}/part-0.csv: could not be read after 3 "
        "attempts; the last broke off:"
    )
    assert fresh.execute("SELECT count(*) FROM ingested_files").fetchone() == (0,)


def test_a_bucket_without_permission_is_one_clear_message(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    watched.handlers.append(("before-send.s3.ListObjectsV2", error_response(403, "AccessDenied")))
    summaries = ingest(s3_case(tmp_path, s3, bucket), con)
    assert summaries["predictions"].errors == [
        f"s3://{bucket}/loans/predictions/: access denied (bucket '{bucket}'): the credentials "
        "in use need s3:ListBucket on the bucket"
    ]


def test_an_object_without_read_permission_names_its_key(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection, watched: Watch
) -> None:
    watched.handlers.append(("before-send.s3.GetObject", error_response(403, "AccessDenied")))
    summary = ingest(s3_case(tmp_path, s3, bucket), con)["predictions"]
    assert summary.errors[0] == (
        f"s3://{bucket}/loans/predictions/dt={DAYS[0]}/part-0.csv: access denied (bucket "
        f"'{bucket}'): the credentials in use need s3:GetObject on the object"
    )


def test_credentials_are_not_in_what_is_printed(s3: S3Server) -> None:
    access = s3.access(secret_access_key="very-secret", session_token="token-secret")
    assert "very-secret" not in repr(access)
    assert "token-secret" not in repr(access)


def test_the_demo_case_runs_from_a_bucket_end_to_end(
    tmp_path: Path, s3: S3Server, monkeypatch: pytest.MonkeyPatch, watched: Watch
) -> None:
    """The demo's car loans, uploaded to a bucket and deleted from disk; the credentials and
    endpoint in a Prefect AwsCredentials block named in BOTTOMLINE_AWS_CREDENTIALS_BLOCK."""
    from prefect_aws import AwsCredentials

    project = make_project(tmp_path)
    data = project.root / "var" / "demo" / "car_loans"
    bucket = s3.bucket("bank-logs")
    uploaded = s3.upload_tree(data, bucket, "car_loans")
    hashes = {
        f"s3://{bucket}/car_loans/{path.relative_to(data).as_posix()}": hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in data.rglob("*.parquet")
    }
    shutil.rmtree(data)  # nothing left to read on disk
    case_file = project.models / "car_loans.yaml"
    case_file.write_text(
        case_file.read_text().replace("../var/demo/car_loans/", f"s3://{bucket}/car_loans/")
    )
    block = AwsCredentials(
        aws_access_key_id=KEYS["aws_access_key_id"],
        aws_secret_access_key=KEYS["aws_secret_access_key"],
        region_name=REGION,
        aws_client_parameters={"endpoint_url": s3.endpoint},
    )
    block.save("bottomline-test-store", overwrite=True)
    monkeypatch.setenv("BOTTOMLINE_AWS_CREDENTIALS_BLOCK", "bottomline-test-store")

    assert run_nightly(project, deliver=False).is_completed()
    (realized,) = project.query(
        "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    )[0]
    assert realized == pytest.approx(project.truth.realized_value, abs=0.01)  # as from disk
    ledger = dict(project.query("SELECT path, content_hash FROM ingested_files"))
    assert ledger == {url: digest for url, digest in hashes.items() if "reference" not in url}
    assert len(ledger) == uploaded - 1  # every object but the reference, once
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    text = " ".join(pdf_text(pdf).split())
    assert f"s3://{bucket}/car_loans/predictions/*/*.parquet" in text  # lineage: the source
    shown = [url for url, digest in ledger.items() if digest[:12] in text]
    assert shown  # the newest objects with their sha256, as local files are shown

    assert watched.downloads("reference") == 1  # read three times, downloaded once
    rows = watched.downloads("/predictions/") + watched.downloads("/outcomes/")
    assert rows == len(ledger)  # each object once
    assert run_nightly(project, deliver=False).is_completed()
    again = watched.downloads("/predictions/") + watched.downloads("/outcomes/")
    assert again == rows  # unchanged objects are not downloaded again


def test_credentials_and_endpoint_come_from_the_standard_environment(
    s3: S3Server, bucket: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No block, no keys given: boto3's own chain reads the AWS_* variables."""
    from bottomline.ingest.sources import list_files

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEYS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", KEYS["aws_secret_access_key"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3.endpoint)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    found = list_files(f"s3://{bucket}/loans/predictions/dt=*/*.csv", tmp_path)
    assert [source.location for source in found] == [
        f"s3://{bucket}/loans/predictions/dt={day}/part-0.csv" for day in DAYS
    ]
    assert found[0].path.as_posix() == (f"{bucket}/loans/predictions/dt={DAYS[0]}/part-0.csv")


def test_an_unreadable_object_is_named_by_its_url(
    tmp_path: Path, s3: S3Server, bucket: str, con: duckdb.DuckDBPyConnection
) -> None:
    empty = "loans/predictions/dt=2026-05-04/part-0.csv"
    s3.client().put_object(Bucket=bucket, Key=empty, Body=b"")
    summary = ingest(s3_case(tmp_path, s3, bucket), con)["predictions"]
    assert summary.files_loaded == 3
    assert summary.errors == [f"s3://{bucket}/{empty}: the file is empty (0 bytes)"]
