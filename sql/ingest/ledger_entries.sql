-- Every file the ledger knows of one model and kind, with its content hash: a file found
-- under a new path with the bytes of one no longer listed was moved, not sent again.
SELECT path, content_hash
FROM ingested_files
WHERE model = $model AND kind = $kind
