-- A database source has been read up to this watermark (inside the unit's transaction).
INSERT OR REPLACE INTO source_watermarks
    (model, kind, source, watermark, watermark_type, run_id, updated_at)
VALUES ($model, $kind, $source, $watermark, $watermark_type, $run_id, $now)
