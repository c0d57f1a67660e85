-- The month's outcomes due for the archive: those of the predictions due, and those whose
-- prediction is archived already (an outcome that arrived late).
CREATE OR REPLACE TEMP TABLE archive_due_outcomes AS
SELECT o.source_file, o.source_row, o.day
FROM {{ schema }}.outcomes AS o
WHERE o.day >= $month AND o.day < $next_month AND o.day < $cutoff
    AND o.day NOT IN (SELECT day FROM stale_days WHERE model = $model)
    AND (
        o.prediction_id IN (
            SELECT p.prediction_id
            FROM {{ schema }}.predictions AS p
            SEMI JOIN archive_due_predictions AS d
                ON d.source_file = p.source_file AND d.source_row = p.source_row
            WHERE p.day >= $month AND p.day < $next_month
        )
        OR o.prediction_id NOT IN (
            SELECT prediction_id FROM {{ schema }}.predictions
            WHERE day >= $month AND day < $next_month
        )
    )
