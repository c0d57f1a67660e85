-- A model's bins, as built from its reference.
SELECT column_name, kind, edges, decile_edges, reference_mean, reference_std,
       reference_fingerprint
FROM profile_edges
WHERE model = $model
ORDER BY column_name
