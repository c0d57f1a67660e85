-- The fingerprint the stored calibration spread of a model was fitted for (none: no spread).
SELECT any_value(fingerprint) FROM calibration_spread WHERE model = $model
