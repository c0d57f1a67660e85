-- A PostgreSQL source given as schema.table.
SELECT * FROM {{ schema }}.{{ table }}
