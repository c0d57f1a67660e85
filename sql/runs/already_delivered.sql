-- An earlier run that already delivered this model's report of this window.
SELECT run_id, delivered_to, finished_at FROM runs
WHERE model = $model AND period_start = $start AND period_end = $end AND run_id <> $run_id
    AND delivered_to IS NOT NULL AND delivered_to <> ''
ORDER BY finished_at DESC
LIMIT 1
