INSERT INTO profile_edges BY NAME
SELECT $model AS model, $fingerprint AS reference_fingerprint, $now AS built_at, *
FROM new_edges
