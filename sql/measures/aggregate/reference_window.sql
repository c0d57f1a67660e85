-- Labelled production history of a window, used as the reference; days moved to the archive
-- are read from it (`archived_*`, see bottomline.archive.reads).
SELECT p.* EXCLUDE (id_hash), o.label, o.actual
FROM (
    SELECT * FROM {{ schema }}.predictions WHERE day BETWEEN $start AND $end
    UNION ALL BY NAME
    SELECT * FROM archived_predictions
) AS p
JOIN (
    SELECT prediction_id, label, actual
    FROM {{ schema }}.outcomes WHERE day BETWEEN $start AND $end
    UNION ALL
    SELECT prediction_id, label, actual FROM archived_outcomes
) AS o ON o.prediction_id = p.prediction_id
