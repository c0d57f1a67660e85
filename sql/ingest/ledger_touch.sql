-- A file whose bytes did not change got a new size/mtime record (e.g. it was copied).
UPDATE ingested_files
SET size = $size, mtime_ns = $mtime_ns
WHERE model = $model AND kind = $kind AND path = $path
