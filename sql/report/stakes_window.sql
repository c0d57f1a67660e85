-- Stake sums of a span of days by slice, model version and score bin, for the calibration's
-- part of each range (bottomline/calibration_spread.py).
SELECT day, segment, segment_value, model_version, score_bin, stake_all, stake_matured
FROM calibration_stakes_daily
WHERE model = $model AND day BETWEEN $start AND $end
ORDER BY ALL
