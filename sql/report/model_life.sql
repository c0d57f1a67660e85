-- The first and last day a model has predictions, over everything stored (NULLs: none yet).
SELECT min(day) AS first_day, max(day) AS last_day
FROM metrics_daily
WHERE model = $model AND segment = '_all' AND predictions > 0
