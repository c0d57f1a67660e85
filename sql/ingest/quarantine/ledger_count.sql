SELECT count(*) FROM ingested_files WHERE model = $model
