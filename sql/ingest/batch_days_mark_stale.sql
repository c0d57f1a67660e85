-- Days of the rows in `batch` (predictions no stored row shares): their aggregates change.
INSERT INTO stale_days (model, day)
SELECT DISTINCT $model, day FROM batch
WHERE day NOT IN (SELECT day FROM stale_days WHERE model = $model)
