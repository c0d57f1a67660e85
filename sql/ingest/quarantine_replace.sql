DELETE FROM {{ schema }}.quarantine
WHERE kind = $kind AND source_file = $path
