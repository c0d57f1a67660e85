-- Outcome arrivals by day of prediction and lag since `start`, with each day's predictions
-- (the whole model's), for the arrival forecast (bottomline/impact/finality.py).
SELECT day, lag_days, outcomes
FROM outcome_arrivals_daily
WHERE model = $model AND day >= $start
ORDER BY day, lag_days
