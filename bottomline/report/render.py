"""HTML from a Jinja2 template (autoescaped, strict), then PDF with WeasyPrint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from bottomline.report.vocabulary import in_model_words
from bottomline.resources import resource_dir


@dataclass(frozen=True)
class RenderedReport:
    html_path: Path
    pdf_path: Path
    pages: int


MONEY = re.compile(r"[-+]?[A-Z]{3} -?\d+(?:[.,]\d+)*[KMB]?")  # separators only inside


def keep_money_whole(text: str) -> Markup:
    """Escape the text, then keep each amount (EUR 2.09M, -EUR 812K) on one line."""
    escaped = str(escape(text))
    return Markup(MONEY.sub(lambda m: f'<span class="amount">{m.group(0)}</span>', escaped))


LEADING_SIGN = re.compile(r"(?<=>)([-+])(?=[A-Z]{3} |\d)")  # a cell's text starting -EUR, +3%


def proportional_signs(html: str) -> str:
    """Each sign that starts an element's text (-EUR 935K, +1.2%) in its own span: tabular
    figures would give the sign a digit's width, printing "- EUR 935K" with a gap."""
    return LEADING_SIGN.sub(r'<span class="sign">\1</span>', html)


def render_template(name: str, context: dict[str, Any], autoescape: bool = True) -> str:
    """A template under `reports/`; values are HTML-escaped unless `autoescape` is off
    (plain-text emails), and a missing value is an error."""
    environment = Environment(
        loader=FileSystemLoader(resource_dir("reports")),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["amounts"] = keep_money_whole
    environment.filters["model_words"] = in_model_words
    html = environment.get_template(name).render(context)
    return proportional_signs(html) if autoescape else html


def render_html(context: dict[str, Any], kind: str = "business_impact") -> str:
    """One model's report as HTML (its section speaks in the words of the model's kind)."""
    return render_template(f"{kind}/report.html.j2", {"report": context})


def render_portfolio_html(portfolio: dict[str, Any], models: list[dict[str, Any]]) -> str:
    """The portfolio page, then each model's section."""
    first = models[0]
    return render_template(
        "business_impact/portfolio.html.j2",
        {
            "portfolio": portfolio,
            "models": models,
            "created": {"iso": first["created_iso"], "code_version": first["code_version"]},
        },
    )


def write_report(html: str, pdf_path: Path, kind: str = "business_impact") -> RenderedReport:
    """Write the PDF and, beside it, the same HTML; relative assets resolve from `reports/`."""
    from weasyprint import HTML  # imported here: slow to import, and only render needs it

    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    html_path = pdf_path.with_suffix(".html")
    html_path.write_text(html, encoding="utf-8")
    base_url = (resource_dir("reports") / kind).as_uri() + "/"
    document = HTML(string=html, base_url=base_url).render()
    document.write_pdf(pdf_path)
    return RenderedReport(html_path=html_path, pdf_path=pdf_path, pages=len(document.pages))
