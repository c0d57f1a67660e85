-- Where a model's raw rows are, by month of their prediction day: rows in the warehouse and
-- in the archive (with its files), per kind. Outcomes still waiting for their prediction
-- (no day yet) have month NULL.
WITH warehouse AS (
    SELECT 'predictions' AS kind, date_trunc('month', day)::DATE AS month, count(*) AS rows
    FROM {{ schema }}.predictions GROUP BY ALL
    UNION ALL
    SELECT 'outcomes', date_trunc('month', day)::DATE, count(*)
    FROM {{ schema }}.outcomes GROUP BY ALL
),
archived AS (
    SELECT kind, month, sum(rows) AS rows, count(*) AS files
    FROM archive_parts WHERE model = $model GROUP BY ALL
)
SELECT coalesce(w.kind, a.kind) AS kind, coalesce(w.month, a.month) AS month,
    coalesce(w.rows, 0)::BIGINT AS in_warehouse, coalesce(a.rows, 0)::BIGINT AS in_archive,
    coalesce(a.files, 0)::BIGINT AS archive_files
FROM warehouse AS w
FULL JOIN archived AS a ON a.kind = w.kind AND a.month = w.month
ORDER BY month NULLS LAST, kind DESC
