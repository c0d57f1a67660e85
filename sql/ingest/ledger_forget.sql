DELETE FROM ingested_files
WHERE model = $model AND kind = $kind AND path = $path
