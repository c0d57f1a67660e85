-- Outcomes stored before their prediction get its day, now that it is here.
UPDATE {{ schema }}.outcomes AS o
SET day = b.day
FROM batch AS b
WHERE o.day IS NULL AND o.prediction_id = b.prediction_id
