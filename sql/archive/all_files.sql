-- Every archive file the warehouse lists (any model), relative to the archive folder.
SELECT file FROM archive_parts
