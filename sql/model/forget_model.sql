-- What a shared table holds for one model (used to reset the demo model).
DELETE FROM {{ table }} WHERE model = $model
