-- Predictions per day of a model, from `first_day` (4 weeks before the period) to `last_day`,
-- archived ones included.
SELECT day, sum(predictions)::BIGINT AS predictions
FROM (
    SELECT day, count(*) AS predictions
    FROM {{ schema }}.predictions
    WHERE day BETWEEN $first_day AND $last_day
    GROUP BY day
    UNION ALL
    SELECT day, rows
    FROM archive_day_rows
    WHERE model = $model AND kind = 'predictions' AND day BETWEEN $first_day AND $last_day
)
GROUP BY day
ORDER BY day
