INSERT INTO profiles_daily BY NAME
SELECT $model AS model, * FROM daily_profiles
