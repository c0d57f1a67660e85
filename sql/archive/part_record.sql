INSERT INTO archive_parts
    (model, kind, month, file, rows, checksum, first_day, last_day, run_id, archived_at)
SELECT $model, $kind, $month, $file, $rows, $checksum, min(day), max(day), $run_id, $now
FROM {{ due }}
