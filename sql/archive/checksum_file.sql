-- Rows and checksum of an archive file as written (hive partition columns left out).
SELECT count(*)::BIGINT, coalesce(sum(hash(t)), 0)::HUGEINT
FROM read_parquet($file, hive_partitioning = false) AS t
