INSERT INTO decision_curve_daily BY NAME
SELECT $model AS model, * FROM daily_curve
