-- The month's predictions due for the archive: of a day before the cutoff whose aggregates
-- are current, and with a known outcome or of a day before the end of the outcome wait.
CREATE OR REPLACE TEMP TABLE archive_due_predictions AS
SELECT p.source_file, p.source_row, p.day
FROM {{ schema }}.predictions AS p
WHERE p.day >= $month AND p.day < $next_month AND p.day < $cutoff
    AND p.day NOT IN (SELECT day FROM stale_days WHERE model = $model)
    AND (
        p.day < $wait_cutoff
        OR p.prediction_id IN (
            SELECT prediction_id FROM {{ schema }}.outcomes
            WHERE day >= $month AND day < $next_month AND day < $cutoff
        )
    )
