-- Average predictions per day of a reference window (the plan's volume when none is given).
SELECT count(*)::DOUBLE / (date_diff('day', $start, $end) + 1)
FROM {{ schema }}.predictions
WHERE day BETWEEN $start AND $end
