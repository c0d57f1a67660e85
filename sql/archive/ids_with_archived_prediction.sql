-- Ids of `batch_missing_ids` (outcomes whose prediction the warehouse does not hold) whose
-- prediction is in the archive, with its day: a late outcome. Hashes are compared first, so
-- the archive's id texts are read only for the few rows whose hash matches.
WITH same_hash AS MATERIALIZED (
    SELECT a.prediction_id, a.day
    FROM read_parquet($files, hive_partitioning = false) AS a
    WHERE a.id_hash IN (SELECT hash(prediction_id) FROM batch_missing_ids)
)
SELECT DISTINCT s.prediction_id, s.day
FROM same_hash AS s
WHERE s.prediction_id IN (SELECT prediction_id FROM batch_missing_ids)
