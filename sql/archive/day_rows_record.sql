INSERT INTO archive_day_rows (model, kind, day, file, rows)
SELECT $model, $kind, day, $file, count(*)
FROM {{ due }}
GROUP BY day
