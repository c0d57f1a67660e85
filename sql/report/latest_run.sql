-- A model's latest successful run of a flow (whose checks its report shows); a run that only
-- pointed at an earlier run's report of the same window (ALREADY_REPORTED) is passed over.
SELECT run_id FROM runs
WHERE model = $model AND flow = $flow AND status = 'succeeded'
    AND coalesce(message, '') NOT LIKE 'already reported by run %'
ORDER BY finished_at DESC
LIMIT 1
