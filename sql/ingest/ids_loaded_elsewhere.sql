-- Ids of the batch already stored from a file outside the batch.
SELECT DISTINCT p.prediction_id
FROM {{ schema }}.predictions AS p
WHERE p.prediction_id IN (SELECT prediction_id FROM batch_ids)
    AND p.source_file NOT IN (SELECT source_file FROM batch_files)
