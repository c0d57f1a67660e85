INSERT INTO calibration_spread BY NAME
SELECT $model AS model, $fingerprint AS fingerprint, *, $now AS fitted_at FROM new_spread
