-- A window's stored drift, one row per column and statistic.
SELECT column_name, method, statistic, p_value, severity
FROM drift
WHERE model = $model AND period_start = $start AND period_end = $end
ORDER BY column_name, method
