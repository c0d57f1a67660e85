UPDATE runs
SET finished_at = $finished_at,
    status = $status,
    rows_ingested = $rows_ingested,
    rows_quarantined = $rows_quarantined,
    report_path = $report_path,
    delivered_to = $delivered_to,
    message = $message
WHERE run_id = $run_id
