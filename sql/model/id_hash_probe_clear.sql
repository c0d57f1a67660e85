DELETE FROM {{ schema }}.id_hash_probe
