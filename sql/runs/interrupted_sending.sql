-- An earlier run of this model's window that was stopped while sending its report: it had
-- begun to send (email_attempted_at) but never recorded where the report went, nor ended.
SELECT run_id, email_message_id, email_attempted_at FROM runs
WHERE model = $model AND period_start = $start AND period_end = $end AND run_id <> $run_id
    AND status = 'running' AND email_attempted_at IS NOT NULL
    AND (delivered_to IS NULL OR delivered_to = '')
ORDER BY email_attempted_at DESC
LIMIT 1
