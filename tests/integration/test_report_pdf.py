"""Issue 6: what the leadership report shows, read back from the PDF with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from bottomline.case.config import load_case
from bottomline.delivery.mail import read_message
from bottomline.report.content import gather_report_data
from bottomline.report.context import build_context, kpi_tiles, things_to_know, units_of
from bottomline.report.formatting import money
from bottomline.report.narrative import verdict
from bottomline.report.render import render_html, write_report
from cli.main import main
from flows.report import report
from tests.integration.conftest import REPO, SETTINGS, Project, pdf_pages, pdf_text
from tests.integration.test_nightly import PERIOD_START, run_nightly


def page_text(path: Path, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


def test_page_one_shows_the_warehouse_figures(project: Project) -> None:
    assert run_nightly(project).is_completed()
    case = load_case(project.models / "car_loans.yaml")
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        ((run_id,),) = con.execute("SELECT run_id FROM runs").fetchall()
        data = gather_report_data(
            con,
            case,
            PERIOD_START,
            SETTINGS.end,
            run_id=run_id,
            code_version="test",
            generated_at=dt.datetime(2026, 6, 1),
        )
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    first = page_text(pdf, 1)
    assert " ".join(verdict(case.title, "EUR", data.figures, case.verdict).split()) in first
    for tile in kpi_tiles(data.impact, "EUR", units_of(case), case.verdict):
        assert tile.label.upper() in first
        assert tile.value in first
    for thing in things_to_know(data, units_of(case)):
        assert " ".join(thing.split()) in first
    if data.drift_where is not None:
        assert f"Drift: {data.drift_where.column} moved" in first
    assert "Can we trust the data?" in first
    assert 3 <= pdf_pages(pdf) <= 8
    assert 30_000 < pdf.stat().st_size < 1_500_000
    assert pdf.with_suffix(".html").exists()
    # The same figures render to the same bytes (fonts, chart ids, no timestamps of its own).
    html = render_html(build_context(data))
    again = [write_report(html, project.root / f"again-{n}.pdf").pdf_path for n in (1, 2)]
    assert again[0].read_bytes() == again[1].read_bytes()


def test_an_empty_period_gets_a_clear_no_data_page(project: Project) -> None:
    state = report(
        model="car_loans",
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 1, 31),
        deliver=False,
        return_state=True,
        **project.flow_paths(),
    )
    assert state.is_completed(), state.message
    pdf = project.reports / "car_loans" / "car_loans_2020-01-01_2020-01-31.pdf"
    first = page_text(pdf, 1)
    assert "Car loan approvals made no predictions in January 2020" in first
    assert "No data for this period." in first
    # Before: "Drift: no profiles yet; they are built when outcomes are aggregated."
    assert "Drift: no predictions in this window to compare with the reference." in first
    assert "Where the money came from" not in " ".join(pdf_text(pdf).split())


def test_a_title_with_markup_characters_is_printed_as_text(project: Project) -> None:
    path = project.models / "car_loans.yaml"
    path.write_text(
        path.read_text().replace("title: Car loan approvals", "title: 'Car loans <beta> & co'")
    )
    assert run_nightly(project, deliver=False).is_completed()
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    assert "Car loans <beta> & co" in page_text(pdf, 1)
    html = pdf.with_suffix(".html").read_text()
    assert "Car loans &lt;beta&gt; &amp; co" in html
    assert "<beta>" not in html


def test_the_demo_renders_a_portfolio_of_every_kind_of_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One message per recipient per night (before: leadership, who follows both models, got
    three overlapping ones); the portfolio's is kept, so `send` sends it again, and a message
    sent again joins the outbox rather than overwriting the night's."""
    shutil.copytree(REPO / "models", tmp_path / "models")
    van = tmp_path / "models" / "van_loans.yaml"
    van.write_text(
        van.read_text().replace(
            "recipients: [leadership@example.com]",
            "recipients: [leadership@example.com, vans@example.com]",
        )
    )
    warehouse = tmp_path / "var" / "bottomline.duckdb"
    arguments = [
        "demo",
        "--days",
        "40",
        "--per-day",
        "200",
        "--end",
        "2026-05-31",
        "--models",
        str(tmp_path / "models"),
        "--warehouse",
        str(warehouse),
        "--out",
        str(tmp_path / "var" / "reports"),
        "--outbox",
        str(tmp_path / "var" / "outbox"),
    ]
    assert main(arguments) == 0
    printed = capsys.readouterr().out.split()
    portfolio = Path(next(word for word in printed if "portfolio_" in word))
    text = " ".join(pdf_text(portfolio).split())
    assert "Portfolio of 4 models" in text
    with duckdb.connect(str(warehouse), read_only=True) as con:
        totals = dict(
            con.execute(
                "SELECT model, sum(realized_value) FROM metrics_daily WHERE segment = '_all' "
                "AND day BETWEEN DATE '2026-05-02' AND DATE '2026-05-31' GROUP BY model"
            ).fetchall()
        )
    assert f"All models {money(sum(totals.values()), 'EUR')}" in text
    titles = {"car_loans": "Car loan approvals", "van_loans": "Van loan approvals"}
    titles["demand_forecast"] = "Store demand forecast"
    titles["card_offers"] = "Credit card offers"
    for model, title in titles.items():
        assert f"{title} earned {money(totals[model], 'EUR')}" in text
    assert pdf_pages(portfolio) >= 1 + 4 * 3  # the portfolio page, then every model in full
    # Each model's section speaks of its own kind: the forecast's predictions, not scores.
    forecast = text[text.index("Store demand forecast · business impact") :]
    assert "what their predictions promised" in forecast.split("· business impact")[1]
    assert "How far off the predictions were" in forecast
    # The glossary once, no case file printed per model (before: both, for every model);
    # the total row carries the gap and still to come; against plan only where every plan is
    # a budget (the demo's are yardsticks from the references: summed, they read as a budget).
    assert text.count("How to read this report") == 1
    assert "Business case (car_loans.yaml)" not in text
    assert re.search(r"All models EUR \S+ EUR \S+ [-+]\d+\.\d% n/a EUR \S+", text)
    assert "Still to come" in text
    outbox = tmp_path / "var" / "outbox"
    received = {path.name: read_message(path)["To"] for path in outbox.glob("*.eml")}
    assert received == {
        "portfolio_2026-05-02_2026-05-31.eml": "leadership@example.com",
        "van_loans_2026-05-02_2026-05-31.eml": "vans@example.com",
        "demand_forecast_2026-05-02_2026-05-31.eml": "supply-chain@example.com",
        "card_offers_2026-05-02_2026-05-31.eml": "cards@example.com",
    }
    assert portfolio.with_suffix(".eml").exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((portfolio_run,),) = con.execute(
            "SELECT run_id FROM runs WHERE model = '_portfolio'"
        ).fetchall()
    night = (outbox / "portfolio_2026-05-02_2026-05-31.eml").read_bytes()
    assert main(["send", portfolio_run, *arguments[-8:]]) == 0
    assert (outbox / "portfolio_2026-05-02_2026-05-31.eml").read_bytes() == night
    again = read_message(outbox / "portfolio_2026-05-02_2026-05-31-2.eml")
    assert again["Subject"].startswith(("Portfolio of 4 models", "[ALERT] Portfolio of 4 models"))
    # A night the van model fails: leadership still gets one message, the portfolio of the
    # three models that ran (the night's files are written again under their names).
    (tmp_path / "var" / "demo" / "van_loans" / "reference.parquet").unlink()
    rerun = ["run", "--as-of", "2026-05-31", "--resend", *arguments[-8:]]
    assert main(rerun) == 1
    late = read_message(outbox / "portfolio_2026-05-02_2026-05-31.eml")
    assert late["To"] == "leadership@example.com"
    assert late["Subject"].split(",")[0].endswith("Portfolio of 3 models")
    assert not (outbox / "car_loans_2026-05-02_2026-05-31.eml").exists()
    assert len(list(outbox.glob("*.eml"))) == 5  # 4 the first night, 1 sent again
