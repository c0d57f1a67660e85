-- What the ledger knows of one source file (an object's ETag; NULL for a local file).
SELECT size, mtime_ns, content_hash, etag
FROM ingested_files
WHERE model = $model AND kind = $kind AND path = $path
