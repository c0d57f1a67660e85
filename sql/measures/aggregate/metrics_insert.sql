INSERT INTO metrics_daily BY NAME
SELECT $model AS model, * FROM daily_metrics
