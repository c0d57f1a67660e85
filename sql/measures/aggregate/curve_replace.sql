DELETE FROM decision_curve_daily WHERE model = $model AND list_contains($days, day)
