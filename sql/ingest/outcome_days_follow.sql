-- A group that sends stored predictions again (a correction may move a prediction to another
-- day): the outcomes of its ids take their prediction's day as it is now.
UPDATE {{ schema }}.outcomes AS o
SET day = b.day
FROM batch AS b
WHERE o.prediction_id = b.prediction_id AND o.day IS DISTINCT FROM b.day
