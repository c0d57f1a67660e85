INSERT INTO {{ schema }}.predictions BY NAME
SELECT *, $path AS source_file, $run_id AS run_id, $now AS ingested_at,
    hash(prediction_id) AS id_hash
FROM batch
