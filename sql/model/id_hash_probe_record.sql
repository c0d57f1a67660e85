INSERT INTO {{ schema }}.id_hash_probe (probe) VALUES (hash($probe_text))
