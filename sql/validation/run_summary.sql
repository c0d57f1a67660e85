-- A run's rules (with those of interrupted attempts before it), each merged over the batches
-- it was checked on; failed ones first.
SELECT suite,
       expectation,
       any_value(description) AS description,
       any_value(severity) AS severity,
       any_value(column_name) AS column_name,
       sum(unexpected_count)::BIGINT AS unexpected,
       sum(element_count)::BIGINT AS checked,
       bool_and(success) AS success
FROM validation_results
WHERE model = $model AND list_contains($run_ids, run_id)
GROUP BY suite, expectation
ORDER BY success, any_value(severity), suite, expectation
