-- One schema per model: its predictions, outcomes and quarantined rows. Columns the business
-- case keeps (features, segments, value inputs) are added to predictions as they appear.
CREATE SCHEMA IF NOT EXISTS {{ schema }};

CREATE TABLE IF NOT EXISTS {{ schema }}.predictions (
    prediction_id VARCHAR NOT NULL,
    predicted_at TIMESTAMP NOT NULL,    -- UTC
    day DATE NOT NULL,                  -- in the case's time zone
    score DOUBLE NOT NULL,              -- probability of the positive class; a regression
                                        -- model's predicted amount
    decision TINYINT,                   -- 1 = positive decision; NULL for regression
    model_version VARCHAR,
    source_file VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,         -- 1-based data row in the source file
    run_id VARCHAR,
    ingested_at TIMESTAMP NOT NULL,
    id_hash UBIGINT                     -- hash(prediction_id): the id lookups' prefilter
);

-- A warehouse made before id hashes were stored gets the column here (filled by
-- id_hash_refresh, as warehouse._ensure_id_hashes finds no probe).
ALTER TABLE {{ schema }}.predictions ADD COLUMN IF NOT EXISTS id_hash UBIGINT;

-- DuckDB's hash() of a fixed text, as it was when the stored id hashes were computed: a
-- different value now means DuckDB changed its hash and every id is hashed again.
CREATE TABLE IF NOT EXISTS {{ schema }}.id_hash_probe (
    probe UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS {{ schema }}.outcomes (
    prediction_id VARCHAR NOT NULL,
    label TINYINT,                      -- 1 = positive class; NULL for regression
    observed_at TIMESTAMP,              -- UTC, when the outcome became known
    source_file VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    run_id VARCHAR,
    ingested_at TIMESTAMP NOT NULL
);

-- A regression model's actual amount (schemas made before regression get the column here).
ALTER TABLE {{ schema }}.outcomes ADD COLUMN IF NOT EXISTS actual DOUBLE;

-- The day of the outcome's prediction (NULL while its prediction is not stored): the nightly
-- aggregation reads only the outcomes of the days it recomputes, and rows are written in day
-- order, so DuckDB's zonemaps skip the rest of a long history. Schemas made before it get the
-- column here, filled once from the stored predictions (model/outcome_days_fill.sql).
ALTER TABLE {{ schema }}.outcomes ADD COLUMN IF NOT EXISTS day DATE;

CREATE TABLE IF NOT EXISTS {{ schema }}.quarantine (
    kind VARCHAR NOT NULL,              -- predictions | outcomes
    source_file VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,         -- 1-based data row (line, for JSON lines)
    column_name VARCHAR,                -- the source column at fault
    rule VARCHAR NOT NULL,              -- the validation rule, e.g. score_is_probability
    reason VARCHAR NOT NULL,
    day DATE,                           -- the prediction's day, when its timestamp was readable
    record VARCHAR,                     -- the row as read, as JSON
    run_id VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
);
