-- How far a database source has been read (no row: never).
SELECT watermark, watermark_type FROM source_watermarks
WHERE model = $model AND kind = $kind AND source = $source
