INSERT INTO {{ schema }}.quarantine
    (kind, source_file, source_row, column_name, rule, reason, day, record, run_id,
     quarantined_at)
SELECT $kind, $path, source_row, column_name, rule, reason, day, record, $run_id, $now
FROM rejected
