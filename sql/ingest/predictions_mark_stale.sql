-- Days whose aggregates change when `batch` replaces a file's rows: the days of the rows it
-- replaces (same file, or same prediction id) and the days of its own rows.
INSERT INTO stale_days (model, day)
SELECT DISTINCT $model, changed.day
FROM (
    SELECT day FROM {{ schema }}.predictions
    WHERE source_file = $path OR prediction_id IN (SELECT prediction_id FROM batch)
    UNION ALL
    SELECT day FROM batch
) AS changed
WHERE changed.day NOT IN (SELECT day FROM stale_days WHERE model = $model)
