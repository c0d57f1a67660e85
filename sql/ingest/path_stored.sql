-- Does the warehouse hold rows of this file (loaded, or set aside), say from an earlier
-- version of it or before `quarantine --reingest`? `table` is the kind: predictions|outcomes.
SELECT EXISTS (SELECT 1 FROM {{ schema }}.{{ table }} WHERE source_file = $path)
    OR EXISTS (SELECT 1 FROM {{ schema }}.quarantine WHERE kind = $kind AND source_file = $path)
