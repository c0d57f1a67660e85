-- Outcomes of other files whose id this file sends again (a correction): the later one is used.
INSERT INTO {{ schema }}.quarantine
    (kind, source_file, source_row, column_name, rule, reason, day, record, run_id,
     quarantined_at)
SELECT 'outcomes', o.source_file, o.source_row, $id_column, 'replaced_by_later_row',
       'replaced by a later row with the same id (' || $path || ', row ' || b.source_row || ')',
       o.day, to_json(o), $run_id, $now
FROM {{ schema }}.outcomes AS o
JOIN batch AS b ON b.prediction_id = o.prediction_id
WHERE o.source_file <> $path
