-- Tables shared by all models (DESIGN.md, "Warehouse tables"). Money in the case's currency,
-- days as DATE in the case's time zone, timestamps as UTC.
CREATE TABLE runs (
    run_id VARCHAR NOT NULL,
    flow VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    as_of DATE,
    period_start DATE,
    period_end DATE,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,            -- running | succeeded | failed
    rows_ingested BIGINT,
    rows_quarantined BIGINT,
    report_path VARCHAR,
    delivered_to VARCHAR,
    message VARCHAR                     -- why a run failed, or what it skipped
);

CREATE TABLE metrics_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    segment VARCHAR NOT NULL,           -- '_all' for the whole model, else a segment column
    segment_value VARCHAR NOT NULL,     -- '_all' for the whole model
    model_version VARCHAR NOT NULL,     -- '_all' when the case has no model_version column
    predictions BIGINT NOT NULL,
    matured BIGINT NOT NULL,            -- predictions whose outcome is known
    tp BIGINT NOT NULL,
    fp BIGINT NOT NULL,
    tn BIGINT NOT NULL,
    fn BIGINT NOT NULL,
    realized_value DOUBLE NOT NULL,     -- currency, matured predictions
    expected_value DOUBLE NOT NULL,     -- currency, all predictions, from calibrated scores
    expected_value_matured DOUBLE NOT NULL,
    variance_matured DOUBLE NOT NULL    -- currency squared
);

-- Ledger of source files loaded, so re-runs skip what is already in.
CREATE TABLE ingested_files (
    model VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- predictions | outcomes
    path VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    content_hash VARCHAR NOT NULL,      -- sha256 of the file's bytes
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    run_id VARCHAR,
    ingested_at TIMESTAMP NOT NULL
);

-- Days whose aggregates no longer match the rows (new predictions or outcomes); written in
-- the same transaction as the rows, cleared in the same transaction as the new aggregates.
CREATE TABLE stale_days (
    model VARCHAR NOT NULL,
    day DATE NOT NULL
);
