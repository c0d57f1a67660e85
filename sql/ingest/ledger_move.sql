-- A file moved (its folder renamed, the project copied elsewhere, an object copied to another
-- key): the ledger's entry takes its new path, size, mtime and ETag. Returns the entry moved
-- (none: another file took it first).
UPDATE ingested_files
SET path = $new_path, size = $size, mtime_ns = $mtime_ns, etag = $etag
WHERE model = $model AND kind = $kind AND path = $old_path
RETURNING path
