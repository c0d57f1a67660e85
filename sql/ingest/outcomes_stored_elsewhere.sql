-- Has any id of the batch an outcome stored from a file outside the batch? Such an outcome
-- carries the day of the same prediction (`batch_days`, between $first_day and $last_day), or
-- none while that prediction is not stored: only those days' outcomes, and those without a
-- day, are read (DuckDB's zonemaps skip the rest of the history).
SELECT EXISTS (
    SELECT 1
    FROM {{ schema }}.outcomes AS o
    WHERE o.day BETWEEN $first_day AND $last_day
        AND o.day IN (SELECT day FROM batch_days)
        AND o.prediction_id IN (SELECT prediction_id FROM batch_ids)
        AND o.source_file NOT IN (SELECT source_file FROM batch_files)
) OR EXISTS (
    SELECT 1
    FROM {{ schema }}.outcomes AS o
    WHERE o.day IS NULL
        AND o.prediction_id IN (SELECT prediction_id FROM batch_ids)
        AND o.source_file NOT IN (SELECT source_file FROM batch_files)
)
