-- The set-aside rows of a moved file name its new path.
UPDATE {{ schema }}.quarantine SET source_file = $new_path
WHERE kind = $kind AND source_file = $old_path
