-- A run that ended in an error keeps what it had recorded and says why.
UPDATE runs
SET finished_at = $finished_at, status = 'failed', message = $message
WHERE run_id = $run_id AND status = 'running'
