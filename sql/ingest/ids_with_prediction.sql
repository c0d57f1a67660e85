-- Ids of the batch that have a stored prediction, with the prediction's day. Stored ids are
-- searched by their 64-bit hash first: a night's scan of the stored predictions then reads a
-- column of numbers rather than of texts, which kept a night's lookup against 30M stored
-- predictions near its cost against 0.6M; the few rows whose hash matches are compared by id.
WITH same_hash AS MATERIALIZED (
    SELECT p.prediction_id, p.day
    FROM {{ schema }}.predictions AS p
    WHERE p.id_hash IN (SELECT hash(prediction_id) FROM batch_ids)
)
SELECT s.prediction_id, s.day
FROM same_hash AS s
WHERE s.prediction_id IN (SELECT prediction_id FROM batch_ids)
