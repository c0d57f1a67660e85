-- Days in `batch_days` (of rows no stored row shares an id with): their aggregates change.
INSERT INTO stale_days (model, day)
SELECT DISTINCT $model, day FROM batch_days
WHERE day NOT IN (SELECT day FROM stale_days WHERE model = $model)
