-- Prediction files loaded since the model's last successful run (by this run or by
-- interrupted attempts since).
SELECT path FROM ingested_files
WHERE model = $model AND kind = 'predictions'
    AND ingested_at > coalesce(
        (SELECT max(finished_at) FROM runs
         WHERE model = $model AND status IN ('succeeded', 'delivery_failed') AND run_id <> $run_id),
        TIMESTAMP '1970-01-01')
