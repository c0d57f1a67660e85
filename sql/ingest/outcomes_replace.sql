DELETE FROM {{ schema }}.outcomes
WHERE source_file = $path OR prediction_id IN (SELECT prediction_id FROM batch)
