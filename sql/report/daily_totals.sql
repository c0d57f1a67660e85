-- One model's whole-model aggregates per day of a window (all versions summed).
SELECT
    day,
    sum(predictions)::BIGINT AS predictions,
    sum(matured)::BIGINT AS matured,
    sum(tp)::BIGINT AS tp,
    sum(fp)::BIGINT AS fp,
    sum(tn)::BIGINT AS tn,
    sum(fn)::BIGINT AS fn,
    sum(realized_value) AS realized_value,
    sum(expected_value) AS expected_value,
    sum(expected_value_matured) AS expected_value_matured,
    sum(variance_matured) AS variance_matured,
    sum(variance_pending) AS variance_pending,
    sum(decided_positive)::BIGINT AS decided_positive,
    sum(realized_value_sq) AS realized_value_sq,
    sum(realized_if_all_positive) AS realized_if_all_positive,
    sum(realized_if_all_negative) AS realized_if_all_negative,
    sum(abs_error) AS abs_error,
    sum(squared_error) AS squared_error,
    sum(signed_error) AS signed_error,
    sum(abs_percent_error) AS abs_percent_error,
    sum(percent_error_rows)::BIGINT AS percent_error_rows,
    sum(under_predicted)::BIGINT AS under_predicted,
    sum(over_predicted)::BIGINT AS over_predicted,
    sum(cost_under) AS cost_under,
    sum(cost_over) AS cost_over
FROM metrics_daily
WHERE model = $model AND segment = '_all' AND day BETWEEN $start AND $end
GROUP BY day
ORDER BY day
