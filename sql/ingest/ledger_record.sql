INSERT INTO ingested_files
    (model, kind, path, size, mtime_ns, content_hash, rows_read, rows_loaded,
     rows_quarantined, run_id, ingested_at, etag)
VALUES ($model, $kind, $path, $size, $mtime_ns, $content_hash, $rows_read, $rows_loaded,
        $rows_quarantined, $run_id, $now, $etag)
