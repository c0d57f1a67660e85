-- Upsert by prediction id: a file's earlier rows and any earlier row of the same id go.
DELETE FROM {{ schema }}.predictions
WHERE source_file = $path OR prediction_id IN (SELECT prediction_id FROM batch)
