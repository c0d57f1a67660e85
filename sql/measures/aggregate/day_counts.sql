-- Prediction rows of each of the given days (days without rows are absent).
SELECT day, count(*)::BIGINT AS rows
FROM {{ schema }}.predictions
WHERE list_contains($days, day)
GROUP BY day
