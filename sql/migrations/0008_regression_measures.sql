-- Regression models (issue 20): per day, slice and version, sums over matured predictions of
-- the forecast's errors (prediction minus actual, in the model's unit) and of what under- and
-- over-prediction cost against a perfect forecast (currency). Zero for classifiers.
ALTER TABLE metrics_daily ADD COLUMN abs_error DOUBLE DEFAULT 0;          -- sum |p - a|
ALTER TABLE metrics_daily ADD COLUMN squared_error DOUBLE DEFAULT 0;      -- sum (p - a)^2
ALTER TABLE metrics_daily ADD COLUMN signed_error DOUBLE DEFAULT 0;       -- sum (p - a)
ALTER TABLE metrics_daily ADD COLUMN abs_percent_error DOUBLE DEFAULT 0;  -- sum |p - a| / |a|, a <> 0
ALTER TABLE metrics_daily ADD COLUMN percent_error_rows BIGINT DEFAULT 0; -- rows with a <> 0
ALTER TABLE metrics_daily ADD COLUMN under_predicted BIGINT DEFAULT 0;    -- rows with p < a
ALTER TABLE metrics_daily ADD COLUMN over_predicted BIGINT DEFAULT 0;     -- rows with p > a
ALTER TABLE metrics_daily ADD COLUMN cost_under DOUBLE DEFAULT 0;         -- value(a, a) - value(p, a), p < a
ALTER TABLE metrics_daily ADD COLUMN cost_over DOUBLE DEFAULT 0;          -- value(a, a) - value(p, a), p > a
