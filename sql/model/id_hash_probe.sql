-- The stored probe (see create_schema.sql), and what DuckDB's hash gives for it now.
SELECT (SELECT max(probe) FROM {{ schema }}.id_hash_probe), hash($probe_text)
