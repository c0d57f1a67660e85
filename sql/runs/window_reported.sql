-- An earlier successful run of the same flow that rendered this model's report of this window
-- (a run that only pointed at an earlier report, ALREADY_REPORTED, is not one).
SELECT run_id, report_path, verdict, range_low, range_high FROM runs
WHERE model = $model AND flow = $flow AND period_start = $start AND period_end = $end
    AND run_id <> $run_id AND status = 'succeeded' AND report_path IS NOT NULL
    AND coalesce(message, '') NOT LIKE 'already reported by run %'
ORDER BY finished_at DESC
LIMIT 1
