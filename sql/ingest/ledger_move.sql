-- A file moved (its folder renamed, the project copied elsewhere): the ledger's entry takes
-- its new path, size and mtime. Returns the entry moved (none: another file took it first).
UPDATE ingested_files
SET path = $new_path, size = $size, mtime_ns = $mtime_ns
WHERE model = $model AND kind = $kind AND path = $old_path
RETURNING path
