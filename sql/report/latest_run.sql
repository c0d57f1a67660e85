-- A model's latest successful run of a flow (whose checks its report shows).
SELECT run_id FROM runs
WHERE model = $model AND flow = $flow AND status = 'succeeded'
ORDER BY finished_at DESC
LIMIT 1
