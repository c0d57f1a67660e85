INSERT INTO profile_reference BY NAME
SELECT $model AS model, * EXCLUDE (day) FROM reference_profile
