-- Labelled production history of a window, used as the reference.
SELECT p.* EXCLUDE (id_hash), o.label, o.actual
FROM {{ schema }}.predictions AS p
JOIN {{ schema }}.outcomes AS o
    ON o.prediction_id = p.prediction_id AND o.day BETWEEN $start AND $end
WHERE p.day BETWEEN $start AND $end
