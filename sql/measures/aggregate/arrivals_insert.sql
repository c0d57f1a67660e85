INSERT INTO outcome_arrivals_daily BY NAME
SELECT $model AS model, * FROM daily_arrivals
