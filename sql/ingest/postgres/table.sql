-- A PostgreSQL source given as a table on the search path.
SELECT * FROM {{ table }}
