INSERT INTO {{ schema }}.predictions BY NAME
SELECT *, $path AS source_file, $run_id AS run_id, $now AS ingested_at
FROM batch
