-- About to send a run's report: which message, and when (UTC).
UPDATE runs SET email_message_id = $message_id, email_attempted_at = $now WHERE run_id = $run_id
