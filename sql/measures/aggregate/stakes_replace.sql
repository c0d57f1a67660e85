DELETE FROM calibration_stakes_daily WHERE model = $model AND list_contains($days, day)
