"""Reading prediction files from object storage three ways, on an S3-compatible server on
loopback (moto's server mode, started here):

    uv run python -m benchmarks.object_store [--files 20] [--rows 200000]

- boto3, as Bottomline reads: list, download each object whole to a temporary file, sha256
  it (the lineage), read it with Polars;
- s3fs (fsspec): glob, read each object's bytes, sha256 them, read them with Polars;
- Polars' own object store: `pl.read_parquet("s3://...")` per object (no sha256: it would take
  a second download), and one `pl.scan_parquet` over the glob.

Prints wall and CPU seconds for each. moto is a Python server in this process's neighbour
thread, so every byte also costs its time: compare the clients with each other, not with a
real store's network.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tests.integration.s3 import KEYS, REGION, running_server


def parquet_bytes(rows: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pl.DataFrame(
        {
            "id": [f"P{seed:03d}-{i:08d}" for i in range(rows)],
            "score": rng.uniform(size=rows),
            "amount": rng.uniform(1_000, 20_000, size=rows),
            "region": rng.choice(["north", "south", "east", "west"], size=rows),
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "part.parquet"
        frame.write_parquet(path)
        return path.read_bytes()


def timed(name: str, work: Callable[[], int]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    rows = work()
    print(
        f"{name:<44} {time.perf_counter() - wall:8.2f} {time.process_time() - cpu:8.2f} {rows:>12,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    with running_server() as server:
        client = server.client()
        client.create_bucket(Bucket="bench")
        size = 0
        for number in range(args.files):
            body = parquet_bytes(args.rows, number)
            size += len(body)
            client.put_object(
                Bucket="bench", Key=f"p/dt=2026-05-{number + 1:02d}/part-0.parquet", Body=body
            )
        print(f"{args.files} objects, {size / 1e6:.1f} MB, {args.files * args.rows:,} rows")
        print(f"{'reader':<44} {'seconds':>8} {'CPU s':>8} {'rows':>12}")
        url = "s3://bench/p/dt=*/*.parquet"
        timed("boto3: download, sha256, read (Bottomline)", lambda: via_boto3(server, url))
        timed("s3fs: read bytes, sha256, read", lambda: via_s3fs(server.endpoint, url))
        options = {
            "aws_access_key_id": KEYS["aws_access_key_id"],
            "aws_secret_access_key": KEYS["aws_secret_access_key"],
            "aws_region": REGION,
            "aws_endpoint_url": server.endpoint,
            "aws_allow_http": "true",
        }
        keys = [f"s3://bench/p/dt=2026-05-{n + 1:02d}/part-0.parquet" for n in range(args.files)]
        timed(
            "Polars object store: read_parquet each",
            lambda: sum(pl.read_parquet(key, storage_options=options).height for key in keys),
        )
        timed(
            "Polars object store: scan the glob, every column",
            lambda: pl.scan_parquet(url, storage_options=options).collect().height,
        )


def via_boto3(server: Any, url: str) -> int:
    from bottomline.ingest.object_store import ObjectStore, download_folder

    store = ObjectStore(server.access())
    rows = 0
    with download_folder() as folder:
        for item in store.list(url):
            path = store.download(item, folder)
            hashlib.sha256(path.read_bytes()).hexdigest()
            rows += pl.read_parquet(path).height
    return rows


def via_s3fs(endpoint: str, url: str) -> int:
    import s3fs

    fs = s3fs.S3FileSystem(
        key=KEYS["aws_access_key_id"],
        secret=KEYS["aws_secret_access_key"],
        client_kwargs={"endpoint_url": endpoint, "region_name": REGION},
    )
    rows = 0
    for key in sorted(fs.glob(url.removeprefix("s3://"))):
        data = fs.cat_file(key)
        hashlib.sha256(data).hexdigest()
        rows += pl.read_parquet(data).height
    return rows


if __name__ == "__main__":
    main()
