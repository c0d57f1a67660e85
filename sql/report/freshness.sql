-- Newest prediction and outcome a model has, and rows set aside (all UTC).
SELECT
    (SELECT max(predicted_at) FROM {{ schema }}.predictions) AS newest_prediction,
    (SELECT max(observed_at) FROM {{ schema }}.outcomes) AS newest_outcome,
    (SELECT count(*) FROM {{ schema }}.quarantine) AS quarantined_rows
