DELETE FROM calibration_spread WHERE model = $model
