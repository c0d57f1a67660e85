-- Has any id of the batch an outcome stored from a file outside the batch?
SELECT EXISTS (
    SELECT 1
    FROM {{ schema }}.outcomes AS o
    WHERE o.prediction_id IN (SELECT prediction_id FROM batch_ids)
        AND o.source_file NOT IN (SELECT source_file FROM batch_files)
)
