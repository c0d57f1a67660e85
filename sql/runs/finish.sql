UPDATE runs
SET finished_at = $finished_at,
    status = $status,
    rows_ingested = $rows_ingested,
    rows_quarantined = $rows_quarantined,
    report_path = $report_path,
    delivered_to = $delivered_to,
    message = $message,
    data_docs_path = $data_docs_path,
    verdict = $verdict,
    range_low = $range_low,
    range_high = $range_high
WHERE run_id = $run_id
