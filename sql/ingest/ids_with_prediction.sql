-- Ids of the batch that have a stored prediction, with the prediction's day. (Matched by id
-- text, not first by hash as in ids_loaded_elsewhere.sql: outcomes mostly do have their
-- prediction, so a hash search would keep nearly every row it finds and add a second join.
-- For a night's 6M outcomes: 0.7-0.9 s by text, 1.1-1.4 s by hash, then text.)
SELECT p.prediction_id, p.day
FROM {{ schema }}.predictions AS p
WHERE p.prediction_id IN (SELECT prediction_id FROM batch_ids)
