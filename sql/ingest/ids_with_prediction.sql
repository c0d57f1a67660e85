-- Ids of the batch that have a stored prediction.
SELECT DISTINCT p.prediction_id
FROM {{ schema }}.predictions AS p
WHERE p.prediction_id IN (SELECT prediction_id FROM batch_ids)
