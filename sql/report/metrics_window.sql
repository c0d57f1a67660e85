-- Every stored aggregate of a model (all segments and versions) for a span of days.
SELECT * EXCLUDE (model)
FROM metrics_daily
WHERE model = $model AND day BETWEEN $start AND $end
ORDER BY day, segment, segment_value, model_version
