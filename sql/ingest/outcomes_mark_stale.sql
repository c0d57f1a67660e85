-- Days of the predictions whose outcome this file adds, changes or takes back.
INSERT INTO stale_days (model, day)
SELECT DISTINCT $model, p.day
FROM {{ schema }}.predictions AS p
WHERE p.prediction_id IN (
        SELECT prediction_id FROM batch
        UNION ALL
        SELECT prediction_id FROM {{ schema }}.outcomes WHERE source_file = $path
    )
    AND p.day NOT IN (SELECT day FROM stale_days WHERE model = $model)
