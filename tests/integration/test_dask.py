"""Issue 8, item 3: aggregation tasks on a Dask cluster give the default runner's results."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Project, make_project
from tests.integration.test_nightly import run_nightly, snapshot


def stored(project: Project) -> dict[str, Any]:
    """The snapshot, with the daily profiles too."""
    profiles = project.query(
        "SELECT count(*), sum(count), round(sum(value_sum), 4), sum(matured), "
        "round(sum(realized_value), 4) FROM profiles_daily"
    )
    return {**snapshot(project), "profiles": profiles}


def test_aggregation_on_a_local_dask_cluster_of_two_workers_matches_threads(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from distributed import Client, LocalCluster, get_task_stream

    on_threads = make_project(tmp_path_factory.mktemp("threads"))
    assert run_nightly(on_threads, deliver=False).is_completed()

    on_dask = make_project(tmp_path_factory.mktemp("dask"))
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
        get_task_stream(client) as stream,
    ):
        state = run_nightly(
            on_dask, deliver=False, task_runner="dask", dask_address=cluster.scheduler_address
        )
        assert state.is_completed(), state.message
    assert stored(on_dask) == stored(on_threads)
    ran = [item for item in stream.data if "aggregate_rows" in str(item.get("key", ""))]
    assert len(ran) == 2  # 45 days: a unit of 31 days and one of 14, one task each
