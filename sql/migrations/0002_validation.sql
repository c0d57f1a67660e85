-- Validation (issue 3): one row per rule per validated batch, and where a run's data docs are.
CREATE TABLE validation_results (
    run_id VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    suite VARCHAR NOT NULL,             -- predictions | outcomes | volume
    expectation VARCHAR NOT NULL,       -- the rule, e.g. score_is_probability
    success BOOLEAN NOT NULL,
    unexpected_count BIGINT NOT NULL,   -- rows breaking it
    details VARCHAR,                    -- GX's result as JSON
    severity VARCHAR NOT NULL,          -- critical | warning
    description VARCHAR NOT NULL,       -- what is expected, in plain words
    column_name VARCHAR,                -- the source column checked
    gx_expectation VARCHAR NOT NULL,    -- e.g. expect_column_values_to_be_between
    element_count BIGINT NOT NULL,      -- rows checked
    validated_at TIMESTAMP NOT NULL
);

ALTER TABLE runs ADD COLUMN data_docs_path VARCHAR;
