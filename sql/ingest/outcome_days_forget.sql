-- Before a file's earlier predictions are replaced: their outcomes lose the day, so an id the
-- new version no longer sends is an outcome without a stored prediction (its day comes back
-- with the prediction, wherever it is sent again), and the ids it sends again take their new
-- day (ingest/outcome_days_follow.sql).
UPDATE {{ schema }}.outcomes AS o
SET day = NULL
WHERE o.prediction_id IN (
    SELECT prediction_id FROM {{ schema }}.predictions WHERE source_file = $path
)
