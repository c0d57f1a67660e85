SELECT report_path FROM runs WHERE run_id = $run_id AND model = $model
