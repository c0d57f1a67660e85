-- A model's archived rows of one kind, read from the archive files that hold days in
-- [first_day, last_day] (hive partition columns left out: the rows carry their own day).
SELECT *
FROM read_parquet($files, union_by_name = true, hive_partitioning = false)
WHERE day BETWEEN $first_day AND $last_day
