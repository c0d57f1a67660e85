-- Predictions per day of a model, from `first_day` (4 weeks before the period) to `last_day`.
SELECT day, count(*) AS predictions
FROM {{ schema }}.predictions
WHERE day BETWEEN $first_day AND $last_day
GROUP BY day
ORDER BY day
