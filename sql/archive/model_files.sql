-- A model's archive files, relative to the archive folder.
SELECT file FROM archive_parts WHERE model = $model ORDER BY file
