-- How many archive files a model has of one kind: the next file's sequence number.
SELECT count(*) FROM archive_parts WHERE model = $model AND kind = $kind
