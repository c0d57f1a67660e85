-- Ids of the batch already stored from a file outside the batch. Stored ids are searched by
-- their 64-bit hash first (a number, several times cheaper to match than text); the few rows
-- whose hash matches are then compared by id, so a hash collision finds nothing wrongly.
WITH same_hash AS MATERIALIZED (
    SELECT p.prediction_id, p.source_file
    FROM {{ schema }}.predictions AS p
    WHERE p.id_hash IN (SELECT hash(prediction_id) FROM batch_ids)
)
SELECT DISTINCT s.prediction_id
FROM same_hash AS s
WHERE s.prediction_id IN (SELECT prediction_id FROM batch_ids)
    AND s.source_file NOT IN (SELECT source_file FROM batch_files)
