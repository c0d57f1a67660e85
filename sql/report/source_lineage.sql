-- What was loaded for a model, per kind of source.
SELECT kind,
       count(*) AS files,
       sum(rows_loaded)::BIGINT AS rows_loaded,
       sum(rows_quarantined)::BIGINT AS rows_quarantined,
       max(ingested_at) AS last_ingested_at
FROM ingested_files
WHERE model = $model
GROUP BY kind
ORDER BY kind
