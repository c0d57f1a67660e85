INSERT INTO confusion_daily BY NAME
SELECT $model AS model, * FROM daily_confusion
