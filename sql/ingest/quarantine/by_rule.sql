-- How many rows each rule set aside, per kind.
SELECT kind, rule, count(*)::BIGINT AS rows_set_aside, count(DISTINCT source_file) AS files
FROM {{ schema }}.quarantine
GROUP BY kind, rule
ORDER BY rows_set_aside DESC, kind, rule
