DELETE FROM stale_days WHERE model = $model AND list_contains($days, day)
