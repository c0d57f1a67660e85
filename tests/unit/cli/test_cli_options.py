"""Issue 18, item 9: the CLI's dates and addresses say what they take, and refuse the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from cli.main import build_parser

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        ("2026-05-01", "2026-05-31", D(2026, 5, 1), D(2026, 5, 31)),
        ("2026-02", "2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2026-12", "2026-12", D(2026, 12, 1), D(2026, 12, 31)),
        ("2026-W47", "2026-W47", D(2026, 11, 16), D(2026, 11, 22)),
        ("2026W01", "2026-W02", D(2025, 12, 29), D(2026, 1, 11)),
    ],
)
def test_a_window_is_a_day_a_month_or_an_iso_week(
    start: str, end: str, first: dt.date, last: dt.date
) -> None:
    """Before: `--start 2026-W47 --end 2026-W47` silently meant one Monday."""
    parsed = build_parser().parse_args(["report", "--model", "m", "--start", start, "--end", end])
    assert (parsed.start, parsed.end) == (first, last)


@pytest.mark.parametrize(
    "arguments",
    [
        ["report", "--model", "m", "--start", "2026-13", "--end", "2026-12-01"],
        ["report", "--model", "m", "--start", "2026-W54", "--end", "2026-12-01"],
        ["report", "--model", "m", "--start", "May", "--end", "2026-12-01"],
        ["send", "run-1", "--to", "not an address"],
        ["report", "--model", "m", "--start", "2026-05", "--end", "2026-05", "--to", "cfo@"],
    ],
)
def test_what_is_not_a_date_or_an_address_is_refused_saying_what_is(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(arguments)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "a month (2026-05) or an ISO week (2026-W47)" in error or "cfo@example.com" in error


def test_every_date_option_says_what_it_takes(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("report", "backfill", "run"):
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--help"])
        assert "2026-W47" in capsys.readouterr().out
