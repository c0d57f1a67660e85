-- A binary classifier's decision-curve sums of a span of days (bottomline/impact/levers.py).
SELECT day, model_version, score_cent, decided, baseline_decided, spread_bin, predictions,
    pending_value_deciding_positive, pending_value_deciding_negative, pending_switch_variance,
    pending_switch_stake, matured, realized_deciding_positive, realized_deciding_negative
FROM decision_curve_daily
WHERE model = $model AND day BETWEEN $start AND $end
ORDER BY ALL
