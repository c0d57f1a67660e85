INSERT INTO calibration_stakes_daily BY NAME
SELECT $model AS model, * FROM daily_stakes
