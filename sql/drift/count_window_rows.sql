SELECT count(*) + (
    SELECT coalesce(sum(rows), 0) FROM archive_day_rows
    WHERE model = $model AND kind = 'predictions' AND day BETWEEN $start AND $end
)
FROM {{ schema }}.predictions WHERE day BETWEEN $start AND $end
