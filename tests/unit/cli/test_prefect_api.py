"""Which Prefect API a command uses, and how patiently it waits for a temporary one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.prefect_api import (
    DEFAULT_STARTUP_SECONDS,
    TIMEOUT_VARIABLE,
    PrefectApi,
    SettingError,
    heartbeats_chosen,
    profile_api_url,
    startup_seconds,
)

PROFILES = """
active = "team"

[profiles.ephemeral]
PREFECT_SERVER_ALLOW_EPHEMERAL_MODE = "true"

[profiles.team]
PREFECT_API_URL = "http://prefect.internal:4200/api"

[profiles.watched]
PREFECT_API_URL = "http://prefect.internal:4200/api"
PREFECT_FLOWS_HEARTBEAT_FREQUENCY = "60"
"""


def test_the_environment_wins_then_the_active_profile(tmp_path: Path) -> None:
    (tmp_path / "profiles.toml").write_text(PROFILES)
    home = {"PREFECT_HOME": str(tmp_path)}
    assert profile_api_url({**home, "PREFECT_API_URL": "http://a:1/api"}) == "http://a:1/api"
    assert profile_api_url(home) == "http://prefect.internal:4200/api"
    assert profile_api_url({**home, "PREFECT_PROFILE": "ephemeral"}) is None


def test_without_a_profile_file_no_server_is_configured(tmp_path: Path) -> None:
    assert profile_api_url({"PREFECT_HOME": str(tmp_path)}) is None
    (tmp_path / "profiles.toml").write_text("this is [ not toml")
    assert profile_api_url({"PREFECT_HOME": str(tmp_path)}) is None


def test_the_startup_timeout_is_the_users_or_a_patient_default() -> None:
    assert startup_seconds({}) == DEFAULT_STARTUP_SECONDS == 180
    assert startup_seconds({TIMEOUT_VARIABLE: "600"}) == 600
    for bad in ("soon", "0", "-5", "1.5"):
        with pytest.raises(SettingError, match="expected a whole number of seconds"):
            startup_seconds({TIMEOUT_VARIABLE: bad})


def test_heartbeats_are_the_users_choice_from_the_environment_or_the_profile(
    tmp_path: Path,
) -> None:
    (tmp_path / "profiles.toml").write_text(PROFILES)
    home = {"PREFECT_HOME": str(tmp_path)}
    assert not heartbeats_chosen(home)
    assert heartbeats_chosen({**home, "PREFECT_PROFILE": "watched"})
    assert heartbeats_chosen({**home, "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30"})
    assert heartbeats_chosen({**home, "PREFECT_RUNNER_HEARTBEAT_FREQUENCY": "30"})


def test_a_commands_flows_send_heartbeats_only_when_the_user_chose_them() -> None:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    url = "http://prefect.internal:4200/api"
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):
        with PrefectApi(url=url).connected():
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None
        with PrefectApi(url=url, heartbeats=True).connected():
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 60
