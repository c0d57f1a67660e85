-- The Parquet archive of raw rows older than a case's `retention.raw_days` (issue 21). The
-- archive is exactly the files listed here: a file in the archive folder without a row here
-- was left by a run killed before its move committed, and is removed by the next move.
-- Grain: one row per file written (one per model, kind and month moved in one transaction).
CREATE TABLE archive_parts (
    model VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- predictions | outcomes
    month DATE NOT NULL,                -- first day of the month of its rows' prediction days
    file VARCHAR NOT NULL,              -- relative to the archive folder
    rows BIGINT NOT NULL,
    checksum HUGEINT NOT NULL,          -- sum of hash(row) over its rows, checked on write
    first_day DATE NOT NULL,            -- its rows' prediction days, first and last
    last_day DATE NOT NULL,
    run_id VARCHAR,
    archived_at TIMESTAMP NOT NULL      -- UTC
);

-- Rows of each archived file by prediction day: the archived share of a day is counted
-- without reading the archive. Grain: model, kind, day, file.
CREATE TABLE archive_day_rows (
    model VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    day DATE NOT NULL,
    file VARCHAR NOT NULL,
    rows BIGINT NOT NULL
);
