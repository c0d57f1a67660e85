-- A model's stored calibration spread, one row per map, score bin and replicate.
SELECT calibration, score_bin, upper_edge, replicate, shift
FROM calibration_spread
WHERE model = $model
ORDER BY calibration, replicate, score_bin
