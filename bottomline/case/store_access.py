"""How a run reaches object storage: credentials and endpoint, from outside the case file.

They come from the environment or a Prefect `AwsCredentials` block (tasks/settings.py), never
from the case file, and are never logged (the secrets are left out of `repr`). A source's own
`endpoint_url` (an S3-compatible store's address, not a secret) may be in the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

GCS_ENDPOINT = "https://storage.googleapis.com"  # Google Cloud Storage's S3 interoperability
REMOTE_SCHEMES = ("s3", "gs")


def is_remote(path: str | None) -> bool:
    """Whether a source path is an object-storage URL (s3://, gs://)."""
    return path is not None and path.startswith(tuple(f"{s}://" for s in REMOTE_SCHEMES))


@dataclass(frozen=True)
class StoreAccess:
    """How to reach object storage. Without keys, boto3's own chain finds credentials
    (AWS_ACCESS_KEY_ID..., AWS_PROFILE, ~/.aws, an instance's role) and AWS_ENDPOINT_URL."""

    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    region: str | None = None
    endpoint_url: str | None = None  # an S3-compatible store's (MinIO, R2, ...)
    profile: str | None = None
    max_attempts: int = 5  # per request (boto3's retries) and per download
    backoff_seconds: float = 0.5  # before a download's second attempt; doubled each time

    def for_source(self, endpoint_url: str | None, scheme: str) -> StoreAccess:
        """This access with a source's own endpoint (the case's `source.endpoint_url`), or
        Google's for a `gs://` source without one."""
        if endpoint_url:
            return replace(self, endpoint_url=endpoint_url)
        if scheme == "gs" and not self.endpoint_url:
            return replace(self, endpoint_url=GCS_ENDPOINT)
        return self
