"""The business case: one YAML file per monitored model (see DESIGN.md).

`load_case` and `load_cases` turn files into validated `BusinessCase` objects; every problem
becomes a `ConfigError` that names the file, the line, the key and what was expected.
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from bottomline.case.decision_rules import DecisionRule, parse_rule
from bottomline.case.errors import ConfigError, describe_validation_error, read_yaml
from bottomline.case.expressions import ExpressionError, ValueExpression, parse_value
from bottomline.case.identifiers import InvalidIdentifierError, check_identifier
from bottomline.case.store_access import StoreAccess, is_remote

# The names a regression value rule reads for the model's predicted and actual amounts.
REGRESSION_FIELDS = frozenset({"prediction", "actual"})
Task = Literal["binary_classification", "regression", "multiclass_classification"]
MAX_CLASSES = 50  # a multiclass model's classes, at most (one score column each)

# Column names Bottomline gives the fields it stores; a case's own columns cannot reuse them.
RESERVED_COLUMNS = frozenset(
    {
        "prediction_id",
        "predicted_at",
        "day",
        "score",
        "decision",
        "model_version",
        "label",
        "actual",
        "prediction",
        "observed_at",
        "calibrated_score",
        "scores_total",
        "source_file",
        "source_row",
        "run_id",
        "ingested_at",
        "id_hash",
        # the row checks' own flags, added beside the case's columns (validation.derive)
        "in_the_future",
        "after_as_of",
        "before_not_before",
        "value_not_finite",
        "replaces_earlier_row",
        "kept_row",
        "repeats_later_in_file",
        "label_conflict",
        "no_prediction_yet",
        # the per-prediction measures, computed beside the case's columns (metrics)
        "predictions",
        "decided_positive",
        "matured",
        "tp",
        "fp",
        "tn",
        "fn",
        "value_tp",
        "value_fp",
        "value_tn",
        "value_fn",
        "value_if_positive",
        "value_if_negative",
        "realized_value",
        "realized_value_sq",
        "realized_if_all_positive",
        "realized_if_all_negative",
        "expected_value",
        "expected_value_matured",
        "variance_matured",
        "variance_pending",
    }
)


def _identifier(value: str) -> str:
    try:
        return check_identifier(value)
    except InvalidIdentifierError as error:
        raise ValueError(str(error)) from None


Identifier = Annotated[str, AfterValidator(_identifier)]
# DuckDB's own schemas and catalogs: a model named so would fail only at run time.
SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "main", "temp", "system"})
EMAIL_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PostgresSource(_Strict):
    """A PostgreSQL table or query, read incrementally by a watermark column; the connection
    string comes from an environment variable (never from the case file)."""

    dsn_env: Identifier
    table: str | None = None  # `name` or `schema.name`
    query: str | None = None  # any SELECT; it is read as a subquery
    watermark: Identifier | None = None  # increases with every new row; see the specs' defaults
    batch_rows: int = Field(500_000, ge=1)  # rows read and loaded together, at most (plus ties)

    @model_validator(mode="after")
    def _table_or_query(self) -> PostgresSource:
        if (self.table is None) == (self.query is None):
            raise ValueError("give exactly one of `table` or `query`")
        if self.table is not None:
            for part in self.table.split("."):
                _identifier(part)
            if self.table.count(".") > 1:
                raise ValueError(f"table {self.table!r}: use `name` or `schema.name`")
        return self

    @property
    def relation(self) -> str:
        """What the rows are read from, for people: the table, or `query`."""
        return self.table or "query"


class Source(_Strict):
    """Where rows come from: files (a path or glob) or PostgreSQL."""

    path: str | None = None  # a local path or glob, or s3://bucket/glob (gs:// too)
    postgres: PostgresSource | None = None
    encoding: str | None = None  # of CSV and JSON-lines files, when not UTF-8: latin-1, cp1252
    endpoint_url: str | None = None  # an S3-compatible store's address (MinIO, R2, ...)

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        if (self.path is None) == (self.postgres is None):
            raise ValueError("give exactly one of `path` or `postgres`")
        if self.endpoint_url is not None and not self.remote:
            raise ValueError("`endpoint_url` is for an object-storage path (s3://, gs://)")
        if self.encoding is not None:
            if self.postgres is not None:
                raise ValueError("`encoding` is for files; PostgreSQL says its own")
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ValueError(
                    f"unknown encoding {self.encoding!r}; e.g. utf-8, latin-1, cp1252"
                ) from None
        return self

    @property
    def remote(self) -> bool:
        """Whether the files are in object storage (an s3:// or gs:// path)."""
        return is_remote(self.path)

    @property
    def pattern(self) -> str:
        """The file path or glob; raises for a database source."""
        if self.path is None:
            raise ValueError("this source is a database, not files")
        return self.path

    def describe(self) -> str:
        """The source in a few words, for reports and messages."""
        if self.postgres is None:
            return str(self.path)
        return f"PostgreSQL {self.postgres.relation} (${self.postgres.dsn_env})"


class PredictionsSpec(_Strict):
    source: Source
    id: Identifier
    timestamp: Identifier
    timestamp_format: str | None = None  # strftime-style, when not ISO 8601 or epoch seconds
    # Predictions dated earlier are set aside (a year 0001 or 1900 is a logging error).
    not_before: dt.date = dt.date(2000, 1, 1)
    score: Identifier | None = None  # a classifier's probability of the positive class
    prediction: Identifier | None = None  # a regression model's predicted amount
    # a multiclass model's probability columns, by class (in the order of `classes`)
    scores: dict[str, Identifier] | None = None
    score_tolerance: float = Field(0.01, gt=0.0, lt=0.5)  # how far a row's scores may sum from 1
    decision: Identifier | None = None
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    model_version: Identifier | None = None
    champion: str | None = None  # the version to compare others with; default: most traffic
    features: list[Identifier] = Field(default_factory=list)
    categorical: list[Identifier] | None = None

    @property
    def watermark(self) -> str | None:
        """A database source's watermark column: as given, else the timestamp."""
        postgres = self.source.postgres
        return None if postgres is None else postgres.watermark or self.timestamp


class OutcomesSpec(_Strict):
    source: Source
    id: Identifier
    label: Identifier | None = None  # a classifier's outcome: 1 = the positive class (multiclass:
    # the class that was right, one of `classes`)
    actual: Identifier | None = None  # a regression model's actual amount
    timestamp: Identifier | None = None  # when the outcome became known (optional)
    timestamp_format: str | None = None
    # True when outcomes are known whatever the decision (e.g. a bureau reports on declined
    # applicants too): then "approve all" and "approve none" can be valued as baselines.
    observed_for_every_decision: bool = False

    @model_validator(mode="after")
    def _database_needs_a_watermark(self) -> OutcomesSpec:
        postgres = self.source.postgres
        if postgres is not None and postgres.watermark is None and self.timestamp is None:
            raise ValueError(
                "a PostgreSQL source of outcomes needs `source.postgres.watermark` (a column "
                "that grows with every new outcome, such as when it was recorded) or `timestamp`"
            )
        return self

    @property
    def watermark(self) -> str | None:
        """A database source's watermark column: as given, else the timestamp."""
        postgres = self.source.postgres
        return None if postgres is None else postgres.watermark or self.timestamp


class Window(_Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class ReferenceSpec(_Strict):
    source: Source | None = None
    window: Window | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ReferenceSpec:
        if (self.source is None) == (self.window is None):
            raise ValueError("give exactly one of `source` or `window`")
        if self.source is not None and self.source.postgres is not None:
            raise ValueError(
                "a reference is a file (`source: {path: ...}`) or a `window` of the stored "
                "history; to use rows from PostgreSQL, load them and give a `window`"
            )
        return self


class ValueSpec(_Strict):
    """What each prediction is worth, in the case's currency: for a classifier the value of
    each confusion cell; for a regression model one rule over the row's columns and its
    `prediction` and `actual` (`per_prediction`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    true_positive: ValueExpression | None = None
    false_positive: ValueExpression | None = None
    true_negative: ValueExpression | None = None
    false_negative: ValueExpression | None = None
    per_prediction: ValueExpression | None = None
    # a multiclass model's value of each (true class, decided class): matrix[true][decided]
    matrix: dict[str, dict[str, ValueExpression]] | None = None

    @field_validator(
        "true_positive", "false_positive", "true_negative", "false_negative", "per_prediction",
        mode="before",
    )  # fmt: skip
    @classmethod
    def _parse(cls, rule: Any) -> ValueExpression:
        return _parsed_rule(rule)

    @field_validator("matrix", mode="before")
    @classmethod
    def _parse_matrix(cls, matrix: Any) -> Any:
        if not isinstance(matrix, dict):
            return matrix  # pydantic names the type it expected
        return {
            str(true): (
                {str(decided): _parsed_rule(rule) for decided, rule in row.items()}
                if isinstance(row, dict)
                else row
            )
            for true, row in matrix.items()
        }

    def cells(self) -> dict[str, ValueExpression]:
        """The rules the case gives, by key (a matrix's as matrix.<true>.<decided>)."""
        rules = {
            "true_positive": self.true_positive,
            "false_positive": self.false_positive,
            "true_negative": self.true_negative,
            "false_negative": self.false_negative,
            "per_prediction": self.per_prediction,
        }
        for true, row in (self.matrix or {}).items():
            rules |= {f"matrix.{true}.{decided}": rule for decided, rule in row.items()}
        return {key: rule for key, rule in rules.items() if rule is not None}

    def inputs(self) -> dict[str, frozenset[str]]:
        """The prediction columns each rule reads, by key (a regression rule's `prediction`
        and `actual` are the model's own fields, not columns)."""
        return {
            key: rule.columns - REGRESSION_FIELDS if key == "per_prediction" else rule.columns
            for key, rule in self.cells().items()
        }

    def columns(self) -> frozenset[str]:
        """The prediction columns the rules read."""
        return frozenset().union(*self.inputs().values())


def _parsed_rule(rule: Any) -> ValueExpression:
    if isinstance(rule, ValueExpression):
        return rule
    try:
        parsed = parse_value(rule)
    except ExpressionError as error:
        raise ValueError(str(error)) from None
    constant = parsed.constant
    if constant is not None and not math.isfinite(constant):
        raise ValueError(f"{parsed.text!r} is not a finite amount")
    return parsed


class PlanSpec(_Strict):
    """What the business planned; missing figures come from the reference."""

    predictions_per_day: float | None = Field(None, gt=0)
    value_per_prediction: float | None = None  # currency


Thresholds = tuple[float, float]


def _ordered_thresholds(thresholds: Thresholds | None) -> Thresholds | None:
    if thresholds is not None and not 0 <= thresholds[0] <= thresholds[1]:
        raise ValueError("expected [warn, alert] with 0 <= warn <= alert")
    return thresholds


class DriftThresholds(_Strict):
    """[warn, alert] per drift statistic; a statistic without thresholds is only reported."""

    psi: Thresholds | None = None
    ks: Thresholds | None = None
    js: Thresholds | None = None
    wasserstein: Thresholds | None = None
    missing: Thresholds | None = None  # change in the share of missing values

    @field_validator("*")
    @classmethod
    def _ordered(cls, thresholds: Thresholds | None) -> Thresholds | None:
        return _ordered_thresholds(thresholds)


class DriftSpec(DriftThresholds):
    """Defaults for every column (PSI 0.1 / 0.25, missing share +5 / +20 points); `features`
    overrides them per column."""

    psi: Thresholds | None = (0.1, 0.25)
    missing: Thresholds | None = (0.05, 0.2)
    features: dict[Identifier, DriftThresholds] = Field(default_factory=dict)

    @field_validator("psi", "ks", "js", "wasserstein", "missing")
    @classmethod
    def _ordered(cls, thresholds: Thresholds | None) -> Thresholds | None:
        return _ordered_thresholds(thresholds)

    def thresholds(self, column: str, method: str) -> Thresholds | None:
        """The [warn, alert] of a column's statistic: the column's own, else the default."""
        name = "missing" if method == "missing_rate_change" else method
        own = self.features.get(column)
        if own is not None and getattr(own, name, None) is not None:
            found: Thresholds | None = getattr(own, name)
            return found
        return getattr(self, name, None)


class FairnessSpec(_Strict):
    """How fairness groups are judged: against `reference_groups[column]` (else the largest
    group), and only groups with at least `min_group_size` rows in a rate's denominator."""

    reference_groups: dict[Identifier, str] = Field(default_factory=dict)
    min_group_size: int = Field(30, ge=1)


class VerdictSpec(_Strict):
    """When a gap between realized and promised value is worth a leader's look: beyond the 95%
    range, and at least `material_share` of the promise and `material_amount` (currency)."""

    material_share: float = Field(0.02, ge=0, le=1)
    material_amount: float = Field(0.0, ge=0)


class ReportSpec(_Strict):
    recipients: list[str] = Field(default_factory=list)
    period_days: int = Field(30, ge=1, le=366)  # the nightly report covers this many days
    unit: str = Field("prediction", min_length=1)  # what one prediction is, e.g. "loan"
    units: str | None = None  # its plural, when not unit + "s"

    @property
    def unit_plural(self) -> str:
        return self.units or f"{self.unit}s"

    @field_validator("recipients")
    @classmethod
    def _emails(cls, recipients: list[str]) -> list[str]:
        for address in recipients:
            if not EMAIL_ADDRESS.fullmatch(address):
                raise ValueError(f"{address!r} is not an email address")
        return recipients


class RetentionSpec(_Strict):
    """How long raw rows stay in the warehouse (days of their prediction, in the case's zone).

    Older predictions whose outcome is known, or whose outcome has had `outcome_wait_days` to
    arrive, move with their outcomes to the Parquet archive beside the warehouse; aggregates,
    profiles, drift, runs, validation results and quarantine stay."""

    raw_days: int = Field(ge=1)
    outcome_wait_days: int | None = Field(None, ge=1)  # default: raw_days

    @model_validator(mode="after")
    def _wait_covers_raw_days(self) -> RetentionSpec:
        if self.outcome_wait_days is not None and self.outcome_wait_days < self.raw_days:
            raise ValueError(
                f"retention.outcome_wait_days ({self.outcome_wait_days}) is shorter than "
                f"raw_days ({self.raw_days}): a prediction is kept at least raw_days"
            )
        return self

    @property
    def wait_days(self) -> int:
        """Days a prediction without an outcome stays before it is archived all the same."""
        return self.outcome_wait_days or self.raw_days


class BaselineSpec(_Strict):
    """What the business would decide without the model (a binary classifier's): a decision
    rule over the prediction's columns (`bottomline.case.decision_rules`), and how the report
    names it ("approving every application above the old 0.5 cut-off")."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    rule: DecisionRule
    words: str | None = Field(None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, given: Any) -> Any:
        """`baseline: "score >= 0.5"` is short for `baseline: {rule: "score >= 0.5"}`."""
        return {"rule": given} if isinstance(given, str) else given

    @field_validator("rule", mode="before")
    @classmethod
    def _parse(cls, rule: Any) -> DecisionRule:
        if isinstance(rule, DecisionRule):
            return rule
        try:
            return parse_rule(rule)
        except ExpressionError as error:
            raise ValueError(str(error)) from None

    @property
    def description(self) -> str:
        """The baseline in the report's words."""
        return self.words or f"deciding by the rule \u201c{self.rule.text}\u201d"

    @property
    def columns(self) -> list[str]:
        """The prediction columns the rule reads besides the score."""
        return sorted(self.rule.columns - {"score"})


ColumnFormat = Literal["number", "integer", "money", "percent"]
_CELLS = ["value.true_positive", "value.false_positive", "value.true_negative"]
_CELLS += ["value.false_negative"]
_OTHER_VALUE_KEYS = [*_CELLS, "value.per_prediction"]  # a multiclass model values by matrix
_TASK_KEYS: dict[str, tuple[list[str], list[str]]] = {  # task: (keys it needs, keys it refuses)
    "binary_classification": (
        ["predictions.score", "outcomes.label", *_CELLS],
        ["predictions.prediction", "outcomes.actual", "value.per_prediction"],
    ),
    "regression": (
        ["predictions.prediction", "outcomes.actual", "value.per_prediction"],
        ["predictions.score", "predictions.decision", "outcomes.label", *_CELLS, "value.matrix"],
    ),
    "multiclass_classification": (
        ["classes", "predictions.scores", "outcomes.label", "value.matrix"],
        ["predictions.score", "predictions.prediction", "outcomes.actual", *_OTHER_VALUE_KEYS],
    ),
}


class BusinessCase(_Strict):
    """One model's business case. `path` is the file it was read from."""

    name: Identifier
    title: str = Field(min_length=1)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    timezone: str = "UTC"
    task: Task = "binary_classification"
    classes: list[str] | None = None  # a multiclass model's, as its label column writes them
    predictions: PredictionsSpec
    outcomes: OutcomesSpec
    reference: ReferenceSpec
    value: ValueSpec
    calibration: Literal["isotonic", "none"] = "isotonic"
    segments: list[Identifier] = Field(default_factory=list)
    fairness: list[Identifier] = Field(default_factory=list)
    fairness_rules: FairnessSpec = Field(default_factory=FairnessSpec)
    drift: DriftSpec = Field(default_factory=DriftSpec)
    report: ReportSpec = Field(default_factory=ReportSpec)
    plan: PlanSpec = Field(default_factory=PlanSpec)
    verdict: VerdictSpec = Field(default_factory=VerdictSpec)
    owner: str | None = Field(None, min_length=1)  # who answers for the model, in the report
    labels: dict[str, str] = Field(default_factory=dict)  # column: how the report names it
    formats: dict[str, ColumnFormat] = Field(default_factory=dict)  # column: how values read
    pii: list[Identifier] = Field(default_factory=list)  # personal columns: kept as keyed hashes
    retention: RetentionSpec | None = None  # default: keep every raw row in the warehouse
    baseline: BaselineSpec | None = None  # a binary classifier's policy without the model
    path: Path = Field(default=Path("."), exclude=True)
    _pii_key: bytes | None = PrivateAttr(None)  # from outside the case (bottomline.case.pii)
    _store_access: StoreAccess = PrivateAttr(default_factory=StoreAccess)  # likewise

    @field_validator("name")
    @classmethod
    def _not_a_system_schema(cls, name: str) -> str:
        """A model's rows live in a schema of its name: DuckDB's own schemas cannot be one."""
        if name.lower() in SYSTEM_SCHEMAS or name.startswith("_"):
            raise ValueError(
                f"{name!r} is a name the warehouse keeps for itself; choose another model name"
            )
        return name

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{zone!r} is not a time zone name such as 'UTC' or 'Europe/Berlin'"
            ) from None
        return zone

    @model_validator(mode="after")
    def _baseline_is_a_classifiers(self) -> BusinessCase:
        if self.baseline is not None and self.task != "binary_classification":
            raise ValueError(
                "baseline: a decision rule is a binary classifier's; this case's task is "
                f"{self.task}"
            )
        return self

    @model_validator(mode="after")
    def _keys_fit_the_task(self) -> BusinessCase:
        """A classifier names a score, a label and four cell values; a regression model a
        prediction, an actual and one value rule."""
        wanted, unwanted = _TASK_KEYS[self.task]
        given = {
            "predictions.score": self.predictions.score,
            "predictions.prediction": self.predictions.prediction,
            "predictions.decision": self.predictions.decision,
            "outcomes.label": self.outcomes.label,
            "outcomes.actual": self.outcomes.actual,
            "classes": self.classes,
            "predictions.scores": self.predictions.scores,
            "value.matrix": self.value.matrix,
            **{f"value.{key}": rule for key, rule in self.value.cells().items()},
        }
        missing = [key for key in wanted if given.get(key) is None]
        extra = [key for key in unwanted if given.get(key) is not None]
        if missing:  # the key named first: `describe_validation_error` points at it
            raise ValueError(f"{missing[0]}: required key is missing (task: {self.task})")
        if extra:
            raise ValueError(f"{extra[0]}: not a key of task {self.task}")
        return self

    @model_validator(mode="after")
    def _classes_match(self) -> BusinessCase:
        """A multiclass model's classes are distinct, and its scores and value matrix name
        each of them once."""
        if self.classes is None:
            return self
        classes = [str(name) for name in self.classes]
        if not 2 <= len(classes) <= MAX_CLASSES or len(set(classes)) != len(classes):
            raise ValueError(f"classes: expected 2 to {MAX_CLASSES} distinct class names")
        scores, matrix = self.predictions.scores or {}, self.value.matrix or {}
        for key, named in (("predictions.scores", scores), ("value.matrix", matrix)):
            if list(named) != classes and set(named) != set(classes):
                raise ValueError(f"{key}: expected one entry per class ({', '.join(classes)})")
        for true, row in matrix.items():
            if set(row) != set(classes):
                missing = sorted(set(classes) - set(row)) or sorted(set(row) - set(classes))
                raise ValueError(
                    f"value.matrix: the row of true class {true!r} needs one value per decided "
                    f"class ({', '.join(classes)}); check {', '.join(map(repr, missing))}"
                )
        return self

    @model_validator(mode="after")
    def _columns_not_reserved(self) -> BusinessCase:
        for key, columns in self.extra_column_uses().items():
            for column in columns:
                if column in RESERVED_COLUMNS or column.startswith("_"):
                    raise ValueError(
                        f"{key}: column {column!r} has a name Bottomline uses "
                        "for its own fields (these, and names starting with _); "
                        "rename it in the source"
                    )
        return self

    @model_validator(mode="after")
    def _labels_name_columns(self) -> BusinessCase:
        known = set(self.kept_columns())
        for key, columns in (("labels", self.labels), ("formats", self.formats)):
            unknown = sorted(set(columns) - known)
            if unknown:
                raise ValueError(
                    f"{key}: {', '.join(map(repr, unknown))} is not a column this case keeps "
                    f"(features, segments, fairness, value rules: {', '.join(sorted(known))})"
                )
        return self

    @model_validator(mode="after")
    def _pii_columns_are_kept_and_not_priced(self) -> BusinessCase:
        """A personal column must be one the case keeps (feature, segment, fairness), and no
        value rule or baseline rule may read it: its values are hashes once stored."""
        known = set(self.kept_columns())
        priced = {column for read in self.value.inputs().values() for column in read}
        if self.baseline is not None:
            priced |= set(self.baseline.columns)
        for column in self.pii:
            if column not in known:
                raise ValueError(
                    f"pii: {column!r} is not a column this case keeps (features, segments, "
                    f"fairness: {', '.join(sorted(known - priced))})"
                )
            if column in priced or column in self.score_columns:
                raise ValueError(
                    f"pii: {column!r} is read by a value or baseline rule, or is a score; it is "
                    "stored as a keyed hash, which cannot be priced or compared"
                )
        return self

    def with_store_access(self, access: StoreAccess) -> BusinessCase:
        """This case, reaching object storage with `access` (see bottomline.case.store_access)."""
        case = self.model_copy()
        case._store_access = access
        return case

    def store_access(self, source: Source) -> StoreAccess:
        """How to reach a source's objects: the run's access with the source's endpoint."""
        scheme = (source.path or "").partition("://")[0]
        return self._store_access.for_source(source.endpoint_url, scheme)

    def with_pii_key(self, key: bytes | None) -> BusinessCase:
        """This case, hashing its personal columns with `key` (see bottomline.case.pii)."""
        case = self.model_copy()
        case._pii_key = key
        return case

    @property
    def pii_key(self) -> bytes:
        """The key the personal columns are hashed with; an error naming what to set when
        the case has personal columns and no key was given."""
        if self._pii_key is None:
            raise ConfigError(
                self.path,
                None,
                "pii",
                f"the case marks personal columns ({', '.join(self.pii)}): set "
                "BOTTOMLINE_PII_KEY to a secret, or BOTTOMLINE_PII_KEY_BLOCK to the name of a "
                "Prefect Secret block holding one (never in the case file)",
            )
        return self._pii_key

    def label(self, column: str) -> str:
        """How the report names a column: the case's `labels`, else its name in words
        (debt_to_income_ratio: "Debt to income ratio")."""
        if column in self.labels:
            return self.labels[column]
        words = column.replace("_", " ").strip()
        return words[:1].upper() + words[1:]

    def extra_column_uses(self) -> dict[str, list[str]]:
        """The prediction columns each key of the case needs kept, beyond id/time/score (a
        multiclass model's score columns are kept under their names)."""
        uses = {
            "predictions.scores": self.score_columns,
            "predictions.features": list(self.predictions.features),
            "segments": list(self.segments),
            "fairness": list(self.fairness),
        }
        for cell, read in self.value.inputs().items():
            uses[f"value.{cell}"] = sorted(read)
        if self.baseline is not None:
            uses["baseline"] = self.baseline.columns
        return uses

    def prediction_column_uses(self) -> dict[str, list[str]]:
        """Every column the predictions source must have, by the key that names it."""
        spec = self.predictions
        uses = {
            "predictions.id": [spec.id],
            "predictions.timestamp": [spec.timestamp],
        }
        if not self.is_multiclass:
            uses[f"predictions.{self.output_key}"] = [self.output_column]
        if spec.decision:
            uses["predictions.decision"] = [spec.decision]
        if spec.model_version:
            uses["predictions.model_version"] = [spec.model_version]
        return {**uses, **self.extra_column_uses()}

    def outcome_column_uses(self) -> dict[str, list[str]]:
        """Every column the outcomes source must have, by the key that names it."""
        spec = self.outcomes
        uses = {"outcomes.id": [spec.id], f"outcomes.{self.outcome_key}": [self.outcome_column]}
        if spec.timestamp:
            uses["outcomes.timestamp"] = [spec.timestamp]
        return uses

    def kept_columns(self) -> list[str]:
        """Prediction columns stored besides the standard fields, in a stable order."""
        ordered: dict[str, None] = {}
        for columns in self.extra_column_uses().values():
            ordered.update(dict.fromkeys(columns))
        return list(ordered)

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"

    @property
    def is_multiclass(self) -> bool:
        return self.task == "multiclass_classification"

    @property
    def class_names(self) -> list[str]:
        """A multiclass model's classes, in the case's order (empty for other kinds)."""
        return [str(name) for name in self.classes or []]

    @property
    def score_columns(self) -> list[str]:
        """A multiclass model's probability columns, in the order of its classes."""
        scores = self.predictions.scores or {}
        return [scores[name] for name in self.class_names]

    @property
    def output_key(self) -> str:
        """The predictions key naming what the model gives: `score`, `prediction` (a
        regression model's) or `scores` (a multiclass model's, one column per class)."""
        if self.is_multiclass:
            return "scores"
        return "prediction" if self.is_regression else "score"

    @property
    def output_column(self) -> str:
        """The source column of the model's output (a score, or a predicted amount)."""
        column = getattr(self.predictions, self.output_key)
        assert isinstance(column, str)  # the task's keys are checked at load
        return column

    @property
    def outcome_key(self) -> str:
        """The outcomes key naming what is observed: `label` or `actual`."""
        return "actual" if self.is_regression else "label"

    @property
    def outcome_column(self) -> str:
        """The source column of the outcome (a label, or an actual amount)."""
        column = getattr(self.outcomes, self.outcome_key)
        assert isinstance(column, str)  # the task's keys are checked at load
        return column

    @property
    def base_dir(self) -> Path:
        """Relative source paths are read from the folder holding the case file."""
        return self.path.parent

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_case(path: Path) -> BusinessCase:
    """Read and validate one business-case file."""
    document = read_yaml(path)
    if not isinstance(document.data, dict):
        raise ConfigError(path, None, None, "expected a mapping of keys (name, title, ...)")
    try:
        case = BusinessCase.model_validate({**document.data, "path": path})
    except ValidationError as error:
        raise describe_validation_error(path, document, error) from None
    if case.name != path.stem:
        raise ConfigError(
            path,
            document.line_of(("name",)),
            "name",
            f"expected the file's name {path.stem!r}, got {case.name!r}",
        )
    return case


def case_files(models_dir: Path, names: list[str] | None = None) -> dict[str, Path]:
    """The business-case files of `models_dir` by model name (a case's name is its file's
    name), all or only the `names` given, found without reading them: one broken file does not
    keep the others from being read."""
    if not models_dir.is_dir():
        raise ConfigError(models_dir, None, None, "expected a folder of business-case files")
    files: dict[str, Path] = {}
    for path in sorted([*models_dir.glob("*.yaml"), *models_dir.glob("*.yml")]):
        if path.stem in files:
            raise ConfigError(
                path, None, None, f"{files[path.stem].name} already defines model {path.stem!r}"
            )
        files[path.stem] = path
    if not files:
        raise ConfigError(models_dir, None, None, "no business-case files (*.yaml) found")
    if not names:
        return files
    unknown = [name for name in names if name not in files]
    if unknown:
        raise ConfigError(
            models_dir,
            None,
            None,
            f"no model named {', '.join(unknown)}; known: {', '.join(sorted(files))}",
        )
    return {name: path for name, path in files.items() if name in names}


def load_cases(models_dir: Path, names: list[str] | None = None) -> list[BusinessCase]:
    """All business cases in `models_dir` (`*.yaml`, `*.yml`), or only the `names` given (only
    their files are read)."""
    return [load_case(path) for path in case_files(models_dir, names).values()]
