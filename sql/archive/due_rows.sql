-- The rows of `table` listed in `due` (a temp table of keys), whole, in day order.
SELECT t.*
FROM {{ schema }}.{{ table }} AS t
SEMI JOIN {{ due }} AS d
    ON d.source_file = t.source_file AND d.source_row = t.source_row
WHERE t.day >= $month AND t.day < $next_month AND t.day < $cutoff
ORDER BY t.day, t.source_file, t.source_row
