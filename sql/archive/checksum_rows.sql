-- Rows and checksum of the rows of `table` listed in `due`, as `due_rows.sql` reads them.
SELECT count(*)::BIGINT, coalesce(sum(hash(t)), 0)::HUGEINT
FROM {{ schema }}.{{ table }} AS t
SEMI JOIN {{ due }} AS d
    ON d.source_file = t.source_file AND d.source_row = t.source_row
WHERE t.day >= $month AND t.day < $next_month AND t.day < $cutoff
