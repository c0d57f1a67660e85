-- A run that failed before its row was written (e.g. a bad business case) still gets one.
INSERT INTO runs (run_id, flow, model, started_at, finished_at, status, message)
SELECT $run_id, $flow, $model, $finished_at, $finished_at, 'failed', $message
WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = $run_id)
