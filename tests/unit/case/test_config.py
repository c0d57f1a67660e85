from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bottomline.case.config import case_files, load_case, load_cases
from bottomline.case.errors import ConfigError
from tests.helpers import case_document, make_case, write_case

REPO_MODELS = Path(__file__).resolve().parents[3] / "models"


def test_the_demo_case_loads() -> None:
    case = load_case(REPO_MODELS / "car_loans.yaml")
    assert case.name == "car_loans"
    assert case.currency == "EUR"
    assert case.predictions.threshold == 0.85
    assert case.value.cells()["true_positive"].columns == {"loan_amount"}
    assert case.kept_columns()[:2] == ["loan_amount", "car_value"]


def test_defaults_fill_what_is_optional(tmp_path: Path) -> None:
    document = case_document()
    for key in ("calibration", "segments", "timezone"):
        document.pop(key)
    path = tmp_path / "loans.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    case = load_case(path)
    assert case.calibration == "isotonic"
    assert case.drift.psi == (0.1, 0.25)
    assert case.report.period_days == 30
    assert case.timezone == "UTC"


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "loans.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_case(path)
    return caught.value


def test_a_missing_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    text = path.read_text().replace("  score: p\n", "")
    error = error_for(tmp_path, text)
    assert error.key == "predictions.score"
    assert "required key is missing" in str(error)
    assert str(error).startswith(f"{tmp_path / 'loans.yaml'}, line ")


def test_a_wrong_value_says_what_was_expected_and_where(tmp_path: Path) -> None:
    text = (
        write_case(tmp_path).read_text().replace("  score: p\n", "  score: p\n  threshold: 1.5\n")
    )
    error = error_for(tmp_path, text)
    assert error.key == "predictions.threshold"
    assert "less than or equal to 1" in str(error)
    assert "1.5" in str(error)
    line = text.splitlines().index("  threshold: 1.5") + 1
    assert error.line == line


def test_a_misspelt_key_is_refused(tmp_path: Path) -> None:
    text = write_case(tmp_path).read_text().replace("calibration:", "calibraton:")
    error = error_for(tmp_path, text)
    assert error.key == "calibraton"
    assert "unknown key" in str(error)


@pytest.mark.parametrize(
    ("overrides", "key", "words"),
    [
        ({"name": "car-loans"}, "name", "not a valid name"),
        ({"name": "information_schema"}, "name", "keeps for itself"),
        ({"name": "main"}, "name", "keeps for itself"),
        ({"name": "_portfolio"}, "name", "keeps for itself"),
        ({"currency": "euro"}, "currency", "should match pattern"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not a time zone"),
        ({"calibration": "platt"}, "calibration", "'isotonic' or 'none'"),
        ({"segments": ["band", "2nd"]}, "segments.1", "not a valid name"),
        (
            {
                "value": {
                    "true_positive": "amount ** 2",
                    "false_positive": 0,
                    "true_negative": 0,
                    "false_negative": 0,
                }
            },
            "value.true_positive",
            "not allowed",
        ),
        ({"report": {"recipients": ["not-an-address"]}}, "report.recipients", "not an email"),
        ({"reference": {}}, "reference", "exactly one of `source` or `window`"),
        (
            {"reference": {"window": {"start": "2026-05-01", "end": "2026-04-01"}}},
            "reference.window",
            "is after end",
        ),
        (
            {
                "value": {
                    "true_positive": "1/0",
                    "false_positive": 0,
                    "true_negative": 0,
                    "false_negative": 0,
                }
            },
            "value.true_positive",
            "not a finite amount",
        ),
        ({"verdict": {"material_share": 2}}, "verdict.material_share", "less than or equal to 1"),
        ({"fairness_rules": {"min_group_size": 0}}, "fairness_rules.min_group_size", "greater"),
        ({"segments": ["score"]}, None, "name Bottomline uses"),
        ({"segments": ["id_hash"]}, None, "name Bottomline uses"),
        ({"retention": {"raw_days": 0}}, "retention.raw_days", "greater than or equal to 1"),
        ({"retention": {"days": 90}}, "retention.raw_days", "missing"),
        (
            {"retention": {"raw_days": 90, "outcome_wait_days": 30}},
            "retention",
            "shorter than raw_days",
        ),
        ({"baseline": "score + 1"}, "baseline.rule", "is not a comparison"),
        ({"baseline": "score >= 0.5 or"}, "baseline.rule", "is not a valid rule"),
        ({"baseline": "__import__('os') == 1"}, "baseline.rule", "is not allowed"),
        ({"baseline": {"rule": "score > 0.5", "name": "x"}}, "baseline.name", "unknown key"),
        ({"baseline": 'band < "B"'}, "baseline.rule", "'B' is not a number"),
        ({"baseline": "band == 'A'", "pii": ["band"]}, None, "read by a value or baseline rule"),
    ],
)
def test_bad_values_are_config_errors(
    tmp_path: Path, overrides: dict[str, object], key: str | None, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        make_case(tmp_path, **overrides)
    assert caught.value.key == key
    assert words in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / f"{overrides.get('name', 'loans')}.yaml"))


def test_retention_waits_for_outcomes_as_long_as_it_keeps_rows_unless_told(
    tmp_path: Path,
) -> None:
    assert make_case(tmp_path).retention is None  # every raw row stays
    kept = make_case(tmp_path, retention={"raw_days": 90}).retention
    assert kept is not None
    assert (kept.raw_days, kept.wait_days) == (90, 90)
    waited = make_case(tmp_path, retention={"raw_days": 90, "outcome_wait_days": 400}).retention
    assert waited is not None
    assert waited.wait_days == 400


def test_a_baseline_rule_reads_the_score_and_kept_columns(tmp_path: Path) -> None:
    import polars as pl

    case = make_case(tmp_path, baseline="score >= 0.5 and amount < 100")
    assert case.baseline is not None
    assert case.baseline.columns == ["amount"]
    assert case.extra_column_uses()["baseline"] == ["amount"]
    assert (
        case.baseline.description
        == "deciding by the rule \u201cscore >= 0.5 and amount < 100\u201d"
    )
    rows = pl.DataFrame({"score": [0.4, 0.6, 0.7, None], "amount": [10, 20, 300, 10]})
    assert rows.select(case.baseline.rule.to_polars()).to_series().to_list() == [0, 1, 0, 0]
    by_band = make_case(tmp_path, baseline='score >= 0.3 and band in ("A", "C") or band == "B"')
    assert by_band.baseline is not None
    assert by_band.baseline.columns == ["band"]
    bands = pl.DataFrame({"score": [0.2, 0.4, 0.4, 0.1], "band": ["A", "A", "D", "B"]})
    assert bands.select(by_band.baseline.rule.to_polars()).to_series().to_list() == [0, 1, 0, 1]
    named = make_case(tmp_path, baseline={"rule": "not score < 0.5", "words": "the old cut-off"})
    assert named.baseline is not None
    assert named.baseline.description == "the old cut-off"


def test_a_baseline_rule_is_a_binary_classifiers(tmp_path: Path) -> None:
    regression = {
        "task": "regression",
        "predictions": {**case_document()["predictions"], "score": None, "decision": None,
                        "prediction": "p"},
        "outcomes": {**case_document()["outcomes"], "label": None, "actual": "y"},
        "value": {"per_prediction": "actual - abs(prediction - actual)"},
        "baseline": "prediction > 1",
    }  # fmt: skip
    with pytest.raises(ConfigError, match="a decision rule is a binary classifier's"):
        make_case(tmp_path, **regression)


def test_a_postgres_source_watermarks_by_the_timestamp_unless_told(tmp_path: Path) -> None:
    source = {"postgres": {"dsn_env": "LOANS_DSN", "table": "public.predictions"}}
    predictions = {**case_document()["predictions"], "source": source}
    case = make_case(tmp_path, predictions=predictions)
    assert case.predictions.watermark == case.predictions.timestamp
    assert case.predictions.source.describe() == "PostgreSQL public.predictions ($LOANS_DSN)"
    told = {**source["postgres"], "watermark": "loaded_at"}
    case = make_case(tmp_path, predictions={**predictions, "source": {"postgres": told}})
    assert case.predictions.watermark == "loaded_at"


@pytest.mark.parametrize(
    ("postgres", "message"),
    [
        ({"dsn_env": "DSN"}, "give exactly one of `table` or `query`"),
        ({"dsn_env": "DSN", "table": "t", "query": "select 1"}, "give exactly one of"),
        ({"dsn_env": "DSN", "table": "a.b.c"}, "use `name` or `schema.name`"),
        ({"dsn_env": "DSN", "table": "t; drop table x"}, "is not a valid name"),
        ({"dsn_env": "DSN", "table": "t", "batch_rows": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_postgres_sources_are_config_errors(
    tmp_path: Path, postgres: dict[str, object], message: str
) -> None:
    predictions = {**case_document()["predictions"], "source": {"postgres": postgres}}
    with pytest.raises(ConfigError, match=message) as caught:
        make_case(tmp_path, predictions=predictions)
    assert caught.value.key is not None
    assert caught.value.key.startswith("predictions.source")


def test_postgres_outcomes_need_a_watermark(tmp_path: Path) -> None:
    outcomes = {
        **case_document()["outcomes"],
        "source": {"postgres": {"dsn_env": "DSN", "table": "outcomes"}},
    }
    with pytest.raises(ConfigError, match=r"needs `source\.postgres\.watermark`"):
        make_case(tmp_path, outcomes=outcomes)
    make_case(tmp_path, outcomes={**outcomes, "timestamp": "observed_at_col"})


def test_a_reference_cannot_be_a_database(tmp_path: Path) -> None:
    reference = {"source": {"postgres": {"dsn_env": "DSN", "table": "reference"}}}
    with pytest.raises(ConfigError, match="load them and give a `window`"):
        make_case(tmp_path, reference=reference)


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    error = error_for(tmp_path, "name: loans\ntitle: [unclosed\ncurrency: EUR\n")
    assert "not valid YAML" in str(error)
    assert error.line is not None


def test_the_file_name_must_match_the_model_name(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    path.rename(tmp_path / "other.yaml")
    with pytest.raises(ConfigError, match="expected the file's name 'other'"):
        load_case(tmp_path / "other.yaml")


def test_load_cases_filters_and_names_unknown_models(tmp_path: Path) -> None:
    write_case(tmp_path)
    write_case(tmp_path, name="cards", title="Cards")
    assert [case.name for case in load_cases(tmp_path)] == ["cards", "loans"]
    assert [case.name for case in load_cases(tmp_path, ["loans"])] == ["loans"]
    with pytest.raises(ConfigError, match="no model named nope; known: cards, loans"):
        load_cases(tmp_path, ["nope"])


def test_an_empty_models_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no business-case files"):
        load_cases(tmp_path)
    with pytest.raises(ConfigError, match="expected a folder"):
        load_cases(tmp_path / "missing")


def test_a_broken_case_file_does_not_keep_the_others_from_loading(tmp_path: Path) -> None:
    write_case(tmp_path)
    (tmp_path / "cards.yaml").write_text("name: cards\ntitle: [unclosed\n")
    assert list(case_files(tmp_path)) == ["cards", "loans"]
    assert [case.name for case in load_cases(tmp_path, ["loans"])] == ["loans"]
    with pytest.raises(ConfigError, match=r"cards\.yaml"):
        load_cases(tmp_path)
    (tmp_path / "loans.yml").write_text("name: loans\n")
    with pytest.raises(ConfigError, match=r"loans\.yaml already defines model 'loans'"):
        case_files(tmp_path)


def test_a_source_encoding_must_be_one_python_knows(tmp_path: Path) -> None:
    source = {"path": "predictions/*.csv", "encoding": "latin-1"}
    predictions = {**case_document()["predictions"], "source": source}
    assert make_case(tmp_path, predictions=predictions).predictions.source.encoding == "latin-1"
    with pytest.raises(ConfigError, match="unknown encoding 'latin-9000'"):
        make_case(
            tmp_path, predictions={**predictions, "source": {**source, "encoding": "latin-9000"}}
        )


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """Nine aliases, each repeating the one before nine times, under 1 KB: the CLI hung
    building a 3 GB message."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join([*lines, "name: bomb", "title: *a8"]) + "\n")
    assert path.stat().st_size < 1024
    with pytest.raises(ConfigError, match=r"expands to 926,177,117 values \(YAML aliases"):
        load_case(path)


def test_what_a_message_quotes_from_the_file_is_bounded(tmp_path: Path) -> None:
    path = write_case(tmp_path)
    items = ", ".join(f'"item{n}"' for n in range(20_000))
    path.write_text(path.read_text().replace("title: Loans", f"title: [{items}]"))
    with pytest.raises(ConfigError) as caught:
        load_case(path)
    message = str(caught.value)
    assert "title: input should be a valid string, got ['item0', 'item1'," in message
    assert len(message) < 800


@pytest.mark.parametrize("column", ["matured", "kept_row", "_rule"])
def test_a_case_column_may_not_take_a_name_bottomline_computes_beside_it(
    tmp_path: Path, column: str
) -> None:
    predictions = {**case_document()["predictions"], "features": ["amount", column]}
    with pytest.raises(ConfigError, match=f"column '{column}' has a name Bottomline uses"):
        make_case(tmp_path, predictions=predictions)
