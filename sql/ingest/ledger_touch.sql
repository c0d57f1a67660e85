-- A file whose bytes did not change got a new size/mtime record (e.g. it was copied; an
-- object uploaded again with the same bytes gets a new ETag).
UPDATE ingested_files
SET size = $size, mtime_ns = $mtime_ns, etag = $etag
WHERE model = $model AND kind = $kind AND path = $path
