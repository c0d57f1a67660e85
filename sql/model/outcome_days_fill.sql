-- Once, for outcomes stored before they carried their prediction's day.
UPDATE {{ schema }}.outcomes AS o
SET day = p.day
FROM {{ schema }}.predictions AS p
WHERE p.prediction_id = o.prediction_id
