-- The file of the warehouse this connection uses (NULL in memory).
SELECT path FROM duckdb_databases() WHERE database_name = current_database()
