-- Every day a model has predictions for, in the warehouse or the archive.
SELECT DISTINCT day FROM (
    SELECT day FROM {{ schema }}.predictions
    UNION ALL
    SELECT day FROM archive_day_rows WHERE model = $model AND kind = 'predictions'
)
ORDER BY day
