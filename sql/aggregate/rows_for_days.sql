-- A model's predictions of the given days, each with its outcome when known.
SELECT p.*, o.label, o.observed_at
FROM {{ schema }}.predictions AS p
LEFT JOIN {{ schema }}.outcomes AS o ON o.prediction_id = p.prediction_id
WHERE p.day BETWEEN $first_day AND $last_day
    AND list_contains($days, p.day)
