"""A real S3-compatible server on loopback (moto's server mode) for the object-storage tests,
and a way to watch or break the requests Bottomline's client makes (botocore's events)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bottomline.case.store_access import StoreAccess
from bottomline.ingest import object_store

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint: str

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEYS["aws_access_key_id"],
            aws_secret_access_key=KEYS["aws_secret_access_key"],
        )

    def access(self, **changes: Any) -> StoreAccess:
        """Explicit test keys for this server; quick retries unless told otherwise."""
        settings: dict[str, Any] = {
            "access_key_id": KEYS["aws_access_key_id"],
            "secret_access_key": KEYS["aws_secret_access_key"],
            "region": REGION,
            "endpoint_url": self.endpoint,
            "max_attempts": 3,
            "backoff_seconds": 0.01,
        }
        return StoreAccess(**(settings | changes))

    def bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def upload_tree(self, folder: Path, bucket: str, prefix: str) -> int:
        """Every file under `folder`, as objects under `prefix` (same relative keys)."""
        client, count = self.client(), 0
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                key = f"{prefix}/{path.relative_to(folder).as_posix()}"
                client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
                count += 1
        return count


@contextmanager
def running_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    assert server._server is not None
    try:
        yield S3Server(f"http://127.0.0.1:{server._server.server_port}")
    finally:
        server.stop()


@dataclass
class Watch:
    """Requests of Bottomline's S3 clients, by operation; handlers to add to them."""

    calls: dict[str, int] = field(default_factory=dict)
    downloaded: list[str] = field(default_factory=list)  # keys asked for, in order
    handlers: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)

    def count(self, operation: str) -> int:
        return self.calls.get(operation, 0)

    def downloads(self, part: str) -> int:
        """GetObject requests of keys containing `part`."""
        return sum(part in key for key in self.downloaded)


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> Watch:
    """Every session Bottomline opens counts its requests and carries `watch.handlers`."""
    watch = Watch()
    original = object_store.new_session

    def session(access: StoreAccess) -> Any:
        opened = original(access)

        def counted(model: Any, **_: Any) -> None:
            watch.calls[model.name] = watch.calls.get(model.name, 0) + 1

        def asked(params: dict[str, Any], **_: Any) -> None:
            watch.downloaded.append(str(params.get("Key")))

        opened.events.register("before-call.s3", counted)
        opened.events.register("provide-client-params.s3.GetObject", asked)
        for event, handler in watch.handlers:
            opened.events.register(event, handler)
        return opened

    monkeypatch.setattr("bottomline.ingest.object_store.new_session", session)
    return watch


def error_response(status: int, code: str) -> Callable[..., Any]:
    """A `before-send` handler answering every request with this S3 error."""
    from botocore.awsrequest import AWSResponse, HTTPHeaders

    body = f"<Error><Code>{code}</Code><Message>{code} (test)</Message></Error>".encode()

    class Raw:
        def stream(self, *_: Any, **__: Any) -> Iterator[bytes]:
            yield body

    def respond(request: Any, **_: Any) -> Any:
        headers = HTTPHeaders()
        headers["Content-Type"] = "application/xml"
        return AWSResponse(request.url, status, headers, Raw())

    return respond


def broken_body(parsed: dict[str, Any], **_: Any) -> None:
    """An `after-call` handler cutting a GetObject body short (the connection dropped)."""
    from botocore.response import StreamingBody

    data = parsed["Body"].read()
    parsed["Body"] = StreamingBody(io.BytesIO(data[: len(data) // 2]), len(data))


def times(handler: Callable[..., Any], count: int) -> Callable[..., Any]:
    """The handler for the first `count` calls only."""
    left = [count]

    def limited(*args: Any, **kwargs: Any) -> Any:
        if left[0] <= 0:
            return None
        left[0] -= 1
        return handler(*args, **kwargs)

    return limited
