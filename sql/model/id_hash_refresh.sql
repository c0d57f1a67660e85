-- Every stored prediction's id hashed with the hash DuckDB has now.
UPDATE {{ schema }}.predictions SET id_hash = hash(prediction_id)
