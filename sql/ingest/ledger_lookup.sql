-- What the ledger knows of one source file.
SELECT size, mtime_ns, content_hash
FROM ingested_files
WHERE model = $model AND kind = $kind AND path = $path
