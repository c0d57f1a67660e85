-- The newest source files loaded for a model, with their content hashes.
SELECT kind, path, rows_loaded, rows_quarantined, content_hash, ingested_at
FROM ingested_files
WHERE model = $model
ORDER BY ingested_at DESC, path DESC
LIMIT $limit
