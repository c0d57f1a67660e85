-- Average predictions per day of a reference window (the plan's volume when none is given),
-- archived ones included.
SELECT (
    (SELECT count(*) FROM {{ schema }}.predictions WHERE day BETWEEN $start AND $end)
    + (SELECT coalesce(sum(rows), 0) FROM archive_day_rows
       WHERE model = $model AND kind = 'predictions' AND day BETWEEN $start AND $end)
)::DOUBLE / (date_diff('day', $start, $end) + 1)
