-- Forget the ledger rows of files that have rows set aside (not those only replaced by a later
-- row), so the next run reads them again: rows that now pass are loaded, the others stay aside.
DELETE FROM ingested_files
WHERE model = $model
    AND path IN (
        SELECT DISTINCT source_file FROM {{ schema }}.quarantine
        WHERE rule <> 'replaced_by_later_row'
    )
