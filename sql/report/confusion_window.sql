-- A multiclass model's (true class, decided class) pairs over a window: the matured
-- predictions, what they realized and what deciding their true class would have (currency).
SELECT true_class, decided_class, sum(predictions) AS predictions,
    sum(realized_value) AS realized_value, sum(value_if_right) AS value_if_right
FROM confusion_daily
WHERE model = $model AND day BETWEEN $start AND $end
GROUP BY true_class, decided_class
ORDER BY sum(value_if_right) - sum(realized_value) DESC, true_class, decided_class
