-- Months (their first days) holding a model's rows from before the cutoff day: the months a
-- move looks at. Rows are stored in day order, so zonemaps skip the newer days.
SELECT DISTINCT date_trunc('month', day)::DATE AS month
FROM (
    SELECT day FROM {{ schema }}.predictions WHERE day < $cutoff
    UNION ALL
    SELECT day FROM {{ schema }}.outcomes WHERE day < $cutoff
)
ORDER BY month
