DELETE FROM profiles_daily WHERE model = $model AND list_contains($days, day)
