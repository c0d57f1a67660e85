-- The newest day an outcome of the model arrived (in the case's zone): "now" for the
-- arrival forecast (bottomline/impact/finality.py). NULL when none has.
SELECT max(day + lag_days) FROM outcome_arrivals_daily WHERE model = $model
