-- Object storage sources (issue 23): an object's ETag beside its size, what the ledger keys
-- an object on (its path is its URL, its mtime_ns its last-modified time). NULL for local files.
ALTER TABLE ingested_files ADD COLUMN etag VARCHAR;
