-- The whole model's predictions per day since `start` (every version), from metrics_daily.
SELECT day, sum(predictions)::BIGINT AS predictions
FROM metrics_daily
WHERE model = $model AND segment = '_all' AND day >= $start
GROUP BY day
ORDER BY day
