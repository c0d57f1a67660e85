-- Rows a run set aside, by rule, most first, each with one reason as written on a row.
SELECT rule, count(*)::BIGINT AS rows_set_aside, min(reason) AS example
FROM {{ schema }}.quarantine
WHERE list_contains($run_ids, run_id)
GROUP BY rule
ORDER BY rows_set_aside DESC, rule
