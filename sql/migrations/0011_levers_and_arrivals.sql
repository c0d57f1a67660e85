-- Money left on the table and what the model adds (issue 22): per day, model version, score
-- cent (floor(score * 100), 0 to 99: a threshold of k/100 decides positive the cents >= k),
-- decision made, the baseline rule's decision (NULL without a `baseline`) and score bin of
-- the calibration's spread, sums over a binary classifier's predictions of what each would
-- be worth, by its calibrated probability q and the four cell values (currency), had it been
-- decided positive (q*TP + (1-q)*FP) and negative (q*FN + (1-q)*TN); and, for a decision
-- switched from one to the other, the variance of the switch's worth from its outcome
-- (q*(1-q)*(TP - FP - FN + TN)^2, currency squared) and its stake (TP - FP - FN + TN,
-- currency: what a change in q moves it by); and over those whose outcome is known, their count
-- and what each decision would have realized (y*TP + (1-y)*FP, y*FN + (1-y)*TN: the label
-- prices either decision). Other kinds of model have no rows.
CREATE TABLE decision_curve_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    model_version VARCHAR NOT NULL,
    score_cent SMALLINT NOT NULL,
    decided TINYINT NOT NULL,
    baseline_decided TINYINT,
    spread_bin SMALLINT NOT NULL,
    predictions BIGINT NOT NULL,
    value_deciding_positive DOUBLE NOT NULL,
    value_deciding_negative DOUBLE NOT NULL,
    switch_variance DOUBLE NOT NULL,
    switch_stake DOUBLE NOT NULL,
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
