-- Business impact (issue 4): more mergeable sums per day, segment and version.
ALTER TABLE metrics_daily ADD COLUMN decided_positive BIGINT DEFAULT 0;   -- decision = 1, all
ALTER TABLE metrics_daily ADD COLUMN realized_value_sq DOUBLE DEFAULT 0;  -- sum of squares, matured
ALTER TABLE metrics_daily ADD COLUMN realized_if_all_positive DOUBLE DEFAULT 0;  -- "approve all"
ALTER TABLE metrics_daily ADD COLUMN realized_if_all_negative DOUBLE DEFAULT 0;  -- "approve none"
-- Aggregates written before these columns existed are recomputed by the next run.
INSERT INTO stale_days (model, day)
SELECT DISTINCT model, day FROM metrics_daily
WHERE (model, day) NOT IN (SELECT (model, day) FROM stale_days);
