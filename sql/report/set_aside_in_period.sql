-- Prediction rows of a window's days that are set aside (any run), and the loaded ones
-- (archived ones included).
SELECT
    (SELECT count(*) FROM {{ schema }}.quarantine
     WHERE kind = 'predictions' AND day BETWEEN $start AND $end) AS set_aside,
    (SELECT count(*) FROM {{ schema }}.predictions WHERE day BETWEEN $start AND $end)
    + (SELECT coalesce(sum(rows), 0) FROM archive_day_rows
       WHERE model = $model AND kind = 'predictions' AND day BETWEEN $start AND $end) AS loaded
