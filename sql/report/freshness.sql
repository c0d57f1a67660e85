-- Newest prediction and outcome a model has (UTC).
SELECT
    (SELECT max(predicted_at) FROM {{ schema }}.predictions) AS newest_prediction,
    (SELECT max(observed_at) FROM {{ schema }}.outcomes) AS newest_outcome
