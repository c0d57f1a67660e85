INSERT INTO drift BY NAME
SELECT $model AS model, $start AS period_start, $end AS period_end, $now AS computed_at, *
FROM drift_results
