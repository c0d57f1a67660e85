SELECT run_id, flow, model, period_start, period_end, status, report_path, delivered_to
FROM runs WHERE run_id = $run_id
