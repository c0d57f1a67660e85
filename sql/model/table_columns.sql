-- Columns a table of a model's schema has now.
SELECT column_name
FROM information_schema.columns
WHERE table_schema = $schema AND table_name = $table
