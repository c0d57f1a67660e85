-- This run and every run of the model since its last successful one (interrupted attempts
-- at the same work): their checks and rows set aside belong to the same data.
SELECT run_id FROM runs
WHERE model = $model
    AND (run_id = $run_id OR started_at > coalesce(
        (SELECT max(finished_at) FROM runs
         WHERE model = $model AND status IN ('succeeded', 'delivery_failed') AND run_id <> $run_id),
        TIMESTAMP '1970-01-01'))
