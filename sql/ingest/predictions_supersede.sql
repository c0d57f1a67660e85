-- Rows of other files whose id this file sends again: the later row is used, the earlier one
-- is kept in quarantine, so nothing read is ever lost.
INSERT INTO {{ schema }}.quarantine
    (kind, source_file, source_row, column_name, rule, reason, day, record, run_id,
     quarantined_at)
SELECT 'predictions', p.source_file, p.source_row, $id_column, 'replaced_by_later_row',
       'replaced by a later row with the same id (' || $path || ', row ' || b.source_row || ')',
       p.day, to_json(p), $run_id, $now
FROM (SELECT * EXCLUDE (id_hash) FROM {{ schema }}.predictions) AS p
JOIN batch AS b ON b.prediction_id = p.prediction_id
WHERE p.source_file <> $path
