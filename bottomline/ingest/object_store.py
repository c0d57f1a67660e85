"""Source files in object storage: S3, and S3-compatible stores (MinIO, Cloudflare R2, Google
Cloud Storage through its S3 interoperability endpoint).

A source `path` of `s3://bucket/prefix/dt=*/*.parquet` (or `gs://...`) is listed by the
pattern's literal prefix (one paginated ListObjectsV2) and matched against the glob (`*` and
`?` within a folder, `**` across folders); each object found is a `SourceFile` named by its
URL, with its size, last-modified time and ETag, which the ledger keys on: an object whose
size and ETag are the ledger's is not downloaded again. A changed one is downloaded whole to
a private temporary folder (under its key, so its hive folders and suffix read as a local
file's), read as local files are, and deleted.

boto3 reads the credentials the ecosystem's way (environment variables, profiles, an
instance's role) unless `StoreAccess` carries keys (from a Prefect `AwsCredentials` block; see
tasks/settings.py); they are never in the case file and never logged. Faults: boto3 retries
throttling and dropped connections with backoff (standard mode, `max_attempts`); a download
whose body breaks off is tried again as a whole, as often; after that, or for an object that
vanished between listing and reading, or a bucket without permission, one `SourceError` names
the object (or the bucket and prefix) and says what to do. Nothing of a file that failed is
loaded: its rows are read only from a complete download.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bottomline.case.store_access import REMOTE_SCHEMES, StoreAccess

GLOB_CHARACTERS = "*?["
CHUNK_BYTES = 1 << 20


class StoreError(Exception):
    """An object or listing that cannot be read; `location` names the object or prefix."""

    def __init__(self, location: str, problem: str) -> None:
        self.location, self.problem = location, problem
        super().__init__(f"{location}: {problem}")


@dataclass(frozen=True)
class ObjectPattern:
    """A parsed `s3://bucket/glob` source path."""

    scheme: str
    bucket: str
    key_glob: str

    @classmethod
    def parse(cls, url: str) -> ObjectPattern:
        scheme, _, rest = url.partition("://")
        bucket, _, key_glob = rest.partition("/")
        if scheme not in REMOTE_SCHEMES or not bucket or not key_glob:
            raise StoreError(url, "expected s3://bucket/key or a glob of keys")
        return cls(scheme, bucket, key_glob)

    @property
    def prefix(self) -> str:
        """The keys' literal start, up to the folder of the first glob character."""
        cut = min((self.key_glob.find(c) for c in GLOB_CHARACTERS if c in self.key_glob),
                  default=len(self.key_glob))  # fmt: skip
        literal = self.key_glob[:cut]
        return literal if cut == len(self.key_glob) else literal[: literal.rfind("/") + 1]

    def matches(self, key: str) -> bool:
        return _glob_regex(self.key_glob).fullmatch(key) is not None

    def url(self, key: str) -> str:
        return f"{self.scheme}://{self.bucket}/{key}"


def _glob_regex(glob: str) -> re.Pattern[str]:
    """A key glob as a regex: `**/` any folders (or none), `*` and `?` within one folder,
    `[...]` a set, as Python's glob reads a local path."""
    out, index = [], 0
    while index < len(glob):
        if glob.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            out.append("[^/]")
            index += 1
        elif glob[index] == "[" and "]" in glob[index + 1 :]:
            end = glob.index("]", index + 1)
            body = glob[index + 1 : end].replace("\\", "\\\\")
            out.append(f"[{'^' + body[1:] if body.startswith('!') else body}]")
            index = end + 1
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return re.compile("".join(out))


@dataclass(frozen=True)
class StoredObject:
    """One object found: its URL, key, size (bytes), last-modified (ns) and ETag."""

    url: str
    bucket: str
    key: str
    size: int
    modified_ns: int
    etag: str


def new_session(access: StoreAccess) -> Any:
    """A boto3 session for `access` (tests replace it to watch or break requests)."""
    import boto3

    return boto3.session.Session(
        aws_access_key_id=access.access_key_id,
        aws_secret_access_key=access.secret_access_key,
        aws_session_token=access.session_token,
        region_name=access.region,
        profile_name=access.profile,
    )


class ObjectStore:
    """Listing and downloading one store's objects (one boto3 client, thread-safe)."""

    def __init__(self, access: StoreAccess) -> None:
        from botocore.config import Config

        self.access = access
        config = Config(
            retries={"mode": "standard", "max_attempts": access.max_attempts},
            connect_timeout=10,
            read_timeout=60,
        )
        self.client = new_session(access).client(
            "s3", endpoint_url=access.endpoint_url, config=config
        )

    def list(self, url: str) -> list[StoredObject]:
        """The objects whose keys match the URL's glob, sorted by key."""
        pattern = ObjectPattern.parse(url)
        found: list[StoredObject] = []
        where = pattern.url(pattern.prefix)
        with _explained(where, pattern.bucket, listing=True):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=pattern.bucket, Prefix=pattern.prefix
            )
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"]
                    if key.endswith("/") or not pattern.matches(key):
                        continue
                    found.append(
                        StoredObject(
                            url=pattern.url(key),
                            bucket=pattern.bucket,
                            key=key,
                            size=int(item["Size"]),
                            modified_ns=int(item["LastModified"].timestamp() * 1e9),
                            etag=str(item.get("ETag", "")).strip('"'),
                        )
                    )
        return sorted(found, key=lambda item: item.key)

    def download(self, item: StoredObject, folder: Path) -> Path:
        """The object's bytes in `folder`/bucket/key; tried again as a whole (with backoff)
        when its body breaks off, up to `max_attempts` times."""
        target = folder / item.bucket / PurePosixPath(item.key)
        target.parent.mkdir(parents=True, exist_ok=True)
        attempts = self.access.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                with _explained(item.url, item.bucket, listing=False):
                    self._fetch(item, target)
                return target
            except _BrokenOffError as error:
                if attempt == attempts:
                    raise StoreError(
                        item.url,
                        f"could not be read after {attempts} attempts; the last broke off: {error}",
                    ) from error
                time.sleep(self.access.backoff_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch(self, item: StoredObject, target: Path) -> None:
        response = self.client.get_object(
            Bucket=item.bucket, Key=item.key, IfMatch=f'"{item.etag}"'
        )
        body = response["Body"]
        try:
            with target.open("wb") as handle:
                for chunk in iter(lambda: body.read(CHUNK_BYTES), b""):
                    handle.write(chunk)
        finally:
            body.close()
        if target.stat().st_size != item.size:
            raise _BrokenOffError(f"{target.stat().st_size:,} of {item.size:,} bytes arrived")


class _BrokenOffError(Exception):
    """A download that stopped before its last byte: worth another attempt."""


@contextlib.contextmanager
def _explained(location: str, bucket: str, listing: bool) -> Iterator[None]:
    """boto3's errors as one `StoreError` naming the object (or bucket and prefix) and what
    to do; a download that breaks off as `_BrokenOffError`, for the caller to try again."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionError,
        IncompleteReadError,
        NoCredentialsError,
        ReadTimeoutError,
        ResponseStreamingError,
    )

    try:
        yield
    except ClientError as error:
        raise StoreError(location, _client_problem(error, bucket, listing)) from error
    except NoCredentialsError as error:
        raise StoreError(
            location,
            "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), "
            "or name a Prefect AwsCredentials block in BOTTOMLINE_AWS_CREDENTIALS_BLOCK",
        ) from error
    except (IncompleteReadError, ResponseStreamingError, ReadTimeoutError) as error:
        if listing:
            raise StoreError(location, f"the listing broke off: {error}") from error
        raise _BrokenOffError(str(error)) from error
    except ConnectionError as error:  # after boto3's own retries
        if listing:
            raise StoreError(location, f"cannot be reached after every retry: {error}") from error
        raise _BrokenOffError(str(error)) from error
    except BotoCoreError as error:
        raise StoreError(location, f"cannot be reached: {error}") from error


def _client_problem(error: Any, bucket: str, listing: bool) -> str:
    code = str(error.response.get("Error", {}).get("Code", ""))
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if code in ("AccessDenied", "403", "Forbidden", "AllAccessDisabled") or status == 403:
        need = "s3:ListBucket on the bucket" if listing else "s3:GetObject on the object"
        return f"access denied (bucket {bucket!r}): the credentials in use need {need}"
    if code in ("NoSuchBucket",):
        return f"there is no bucket {bucket!r} (or it is in another account or region)"
    if code in ("NoSuchKey", "404", "NotFound", "PreconditionFailed", "412"):
        return (
            "the object was listed but is gone or was replaced before it was read; the next "
            "run reads it if it is there"
        )
    if code in ("SlowDown", "Throttling", "503", "RequestTimeout") or status in (500, 503):
        return f"the store kept refusing ({code or status}) after every retry; try later"
    return f"{code or status}: {error.response.get('Error', {}).get('Message', error)}"


class KeptDownloads:
    """Objects read again and again by one process (a reference: by ingest, aggregation and
    the report), downloaded once per version (URL and ETag) into a private folder removed
    when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folder: Path | None = None
        self._kept: dict[tuple[str, str], Path] = {}

    def path(self, store: ObjectStore, item: StoredObject) -> Path:
        with self._lock:
            found = self._kept.get((item.url, item.etag))
            if found is not None and found.exists():
                return found
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="bottomline-kept-"))
                atexit.register(shutil.rmtree, self._folder, ignore_errors=True)
            version = (
                self._folder / hashlib.sha256(f"{item.url}\n{item.etag}".encode()).hexdigest()[:16]
            )
            path = store.download(item, version)
            self._kept[(item.url, item.etag)] = path
            return path


KEPT = KeptDownloads()


@contextlib.contextmanager
def download_folder() -> Iterator[Path]:
    """A private temporary folder for downloads, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bottomline-objects-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
