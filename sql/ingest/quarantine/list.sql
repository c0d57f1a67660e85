-- A model's rows set aside, newest first.
SELECT kind, source_file, source_row, column_name, rule, reason, record, quarantined_at
FROM {{ schema }}.quarantine
ORDER BY quarantined_at DESC, kind, source_file, source_row
LIMIT $limit
