-- Money left on the table and what the model adds (issue 22): per day, model version, score
-- cent (floor(score * 100), 0 to 99: a threshold of k/100 decides positive the cents >= k),
-- decision made, the baseline rule's decision (NULL without a `baseline`) and score bin of
-- the calibration's spread, what deciding each prediction positive or negative would be worth
-- (currency): realized over those whose outcome is known (y*TP + (1-y)*FP, y*FN + (1-y)*TN:
-- the label prices either decision), and by the calibrated probability q over the pending ones
-- (q*TP + (1-q)*FP, q*FN + (1-q)*TN), with the pending ones' variance of a switch of decision
-- (q*(1-q)*(TP - FP - FN + TN)^2, currency squared) and its stake (TP - FP - FN + TN).
-- Other kinds of model have no rows.
CREATE TABLE decision_curve_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    model_version VARCHAR NOT NULL,
    score_cent SMALLINT NOT NULL,
    decided TINYINT NOT NULL,
    baseline_decided TINYINT,
    spread_bin SMALLINT NOT NULL,
    predictions BIGINT NOT NULL,
    pending_value_deciding_positive DOUBLE NOT NULL,
    pending_value_deciding_negative DOUBLE NOT NULL,
    pending_switch_variance DOUBLE NOT NULL,
    pending_switch_stake DOUBLE NOT NULL,
    matured BIGINT NOT NULL,
    realized_deciding_positive DOUBLE NOT NULL,
    realized_deciding_negative DOUBLE NOT NULL
);

-- When the figure becomes final (issue 22): per day (of the prediction, in the case's zone)
-- and lag (days from that day to the day the outcome became known: its `timestamp`, else
-- when it was loaded), the outcomes that arrived. Every kind of model.
CREATE TABLE outcome_arrivals_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    lag_days INTEGER NOT NULL,
    outcomes BIGINT NOT NULL
);

-- Every stored day is recomputed by the next run, which fills both.
INSERT INTO stale_days (model, day)
SELECT DISTINCT model, day FROM metrics_daily
WHERE (model, day) NOT IN (SELECT (model, day) FROM stale_days);
