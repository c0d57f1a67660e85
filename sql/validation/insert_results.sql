INSERT INTO validation_results BY NAME
SELECT $run_id AS run_id, $model AS model, $now AS validated_at, * FROM results
