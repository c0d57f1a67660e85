-- Delete from `table` the rows listed in `due` (inside the move's transaction).
DELETE FROM {{ schema }}.{{ table }} AS t
USING {{ due }} AS d
WHERE d.source_file = t.source_file AND d.source_row = t.source_row
    AND t.day >= $month AND t.day < $next_month AND t.day < $cutoff
