-- Prediction rows of each of the given days, in the warehouse or the archive (days without
-- rows are absent).
SELECT day, sum(rows)::BIGINT AS rows
FROM (
    SELECT day, count(*) AS rows
    FROM {{ schema }}.predictions
    WHERE list_contains($days, day)
    GROUP BY day
    UNION ALL
    SELECT day, rows
    FROM archive_day_rows
    WHERE model = $model AND kind = 'predictions' AND list_contains($days, day)
)
GROUP BY day
