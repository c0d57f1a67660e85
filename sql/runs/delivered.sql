-- A report sent after its run: where it went; a run that failed only to deliver succeeds now.
UPDATE runs
SET delivered_to = $delivered_to,
    status = CASE WHEN status = 'delivery_failed' THEN 'succeeded' ELSE status END,
    message = CASE WHEN status = 'delivery_failed' THEN NULL ELSE message END
WHERE run_id = $run_id
