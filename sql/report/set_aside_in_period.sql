-- Prediction rows of a window's days that are set aside (any run), and the loaded ones.
SELECT
    (SELECT count(*) FROM {{ schema }}.quarantine
     WHERE kind = 'predictions' AND day BETWEEN $start AND $end) AS set_aside,
    (SELECT count(*) FROM {{ schema }}.predictions WHERE day BETWEEN $start AND $end) AS loaded
