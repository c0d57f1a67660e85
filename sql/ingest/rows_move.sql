-- The loaded rows of a moved file name its new path. `table` is the kind:
-- predictions|outcomes.
UPDATE {{ schema }}.{{ table }} SET source_file = $new_path WHERE source_file = $old_path
