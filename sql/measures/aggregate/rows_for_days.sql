-- A model's predictions of the given days, each with its label when known: only what the
-- measures and profiles read (ids, timestamps and lineage stay behind: reading them back
-- as text doubles the time and memory of a large day). Outcomes are read by the day of their
-- prediction, so a night's join touches the outcomes of its days, not every one ever stored.
-- Days moved to the archive are read from it (`archived_*`, see bottomline.archive.reads;
-- empty for days not archived). An outcome's arrival is when it became known (its timestamp),
-- else when it was loaded (UTC).
SELECT p.* EXCLUDE (prediction_id, predicted_at, source_file, source_row, run_id, ingested_at,
        id_hash),
    o.label, o.actual, o.outcome_arrived_at
FROM (
    SELECT * FROM {{ schema }}.predictions
    WHERE day BETWEEN $first_day AND $last_day AND list_contains($days, day)
    UNION ALL BY NAME
    SELECT * FROM archived_predictions WHERE list_contains($days, day)
) AS p
LEFT JOIN (
    SELECT prediction_id, label, actual, coalesce(observed_at, ingested_at) AS outcome_arrived_at
    FROM {{ schema }}.outcomes
    WHERE day BETWEEN $first_day AND $last_day AND list_contains($days, day)
    UNION ALL
    SELECT prediction_id, label, actual, coalesce(observed_at, ingested_at)
    FROM archived_outcomes WHERE list_contains($days, day)
) AS o ON o.prediction_id = p.prediction_id
