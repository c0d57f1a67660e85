-- Multiclass models (issue 20): per day, model version and (true class, decided class), the
-- predictions whose true class is known, the value they realized and the value the right
-- decision (the true class) would have realized for the same rows (currency). Grain: one
-- row per model, day (of the prediction, in the case's zone), version and pair with at least
-- one such prediction; a pair with none has no row. Binary classifiers and regression models
-- have none.
CREATE TABLE confusion_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    model_version VARCHAR NOT NULL,
    true_class VARCHAR NOT NULL,
    decided_class VARCHAR NOT NULL,
    predictions BIGINT NOT NULL,
    realized_value DOUBLE NOT NULL,
    value_if_right DOUBLE NOT NULL
);
