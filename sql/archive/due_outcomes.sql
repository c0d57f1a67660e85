-- The month's outcomes due for the archive: every outcome of a day before the cutoff whose
-- aggregates are current. An outcome carries its prediction's day, and a prediction of such a
-- day with an outcome is due itself (archive/due_predictions.sql); the others' predictions are
-- archived already (outcomes that arrived late). Only the days crossing the cutoff are read.
CREATE OR REPLACE TEMP TABLE archive_due_outcomes AS
SELECT o.source_file, o.source_row, o.day
FROM {{ schema }}.outcomes AS o
WHERE o.day >= $month AND o.day < $next_month AND o.day < $cutoff
    AND o.day NOT IN (SELECT day FROM stale_days WHERE model = $model)
