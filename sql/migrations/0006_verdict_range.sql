-- A verdict leaders can trust (issue 16): the 95% range includes the calibration's own
-- uncertainty (see bottomline/calibration_spread.py), the pending estimate carries a range,
-- and each run keeps its verdict.

-- Outcome variance of predictions still awaiting outcomes: q(1-q)(v1-v0)^2 (currency squared).
ALTER TABLE metrics_daily ADD COLUMN variance_pending DOUBLE DEFAULT 0;

-- Bootstrap replicates of the calibration: each replicate's shift from the fitted map
-- (probability), averaged over the reference scores of each score bin.
CREATE TABLE calibration_spread (
    model VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,       -- of the reference, value rules and method
    calibration VARCHAR NOT NULL,       -- a model version with its own map, or '_pooled'
    score_bin INTEGER NOT NULL,         -- 0-based; the last bin has no upper edge
    upper_edge DOUBLE,                  -- score
    replicate INTEGER NOT NULL,
    shift DOUBLE NOT NULL,              -- probability
    fitted_at TIMESTAMP NOT NULL
);

-- Per day, slice, model version and score bin: the sum of stakes v1 - v0 (currency: the value
-- if the outcome is positive minus if negative), over all predictions and over matured ones.
CREATE TABLE calibration_stakes_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    segment VARCHAR NOT NULL,
    segment_value VARCHAR NOT NULL,
    model_version VARCHAR NOT NULL,
    score_bin INTEGER NOT NULL,
    stake_all DOUBLE NOT NULL,
    stake_matured DOUBLE NOT NULL
);

-- The verdict of each report run: within | immaterial | below | above (NULL: no outcomes yet,
-- or not a report), and the range of realized value it was judged against (currency).
ALTER TABLE runs ADD COLUMN verdict VARCHAR;
ALTER TABLE runs ADD COLUMN range_low DOUBLE;
ALTER TABLE runs ADD COLUMN range_high DOUBLE;

-- Aggregates written before this are recomputed by the next run (the spread, fitted then for
-- the first time, makes it recompute every stored day anyway).
INSERT INTO stale_days (model, day)
SELECT DISTINCT model, day FROM metrics_daily
WHERE (model, day) NOT IN (SELECT (model, day) FROM stale_days);
