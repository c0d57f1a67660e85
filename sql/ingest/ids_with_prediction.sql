-- Ids of the batch that have a stored prediction, with the prediction's day.
SELECT p.prediction_id, p.day
FROM {{ schema }}.predictions AS p
WHERE p.prediction_id IN (SELECT prediction_id FROM batch_ids)
