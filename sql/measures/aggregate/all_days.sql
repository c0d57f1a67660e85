-- Every day a model has predictions for.
SELECT DISTINCT day FROM {{ schema }}.predictions ORDER BY day
