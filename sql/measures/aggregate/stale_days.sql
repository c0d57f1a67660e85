SELECT DISTINCT day FROM stale_days WHERE model = $model ORDER BY day
