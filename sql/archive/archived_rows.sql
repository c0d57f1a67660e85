-- A model's archived rows of one kind (`table`), read from the archive files that hold days
-- in [first_day, last_day] (hive partition columns left out: the rows carry their own day).
-- A prediction id with a row in the warehouse is read from there (a file sent again after its
-- rows were archived replaces them, as it would in the warehouse); one archived twice is read
-- from its newest file (file names begin with their sequence number).
SELECT * EXCLUDE (filename)
FROM read_parquet($files, union_by_name = true, hive_partitioning = false, filename = true)
WHERE day BETWEEN $first_day AND $last_day
    AND prediction_id NOT IN (
        SELECT prediction_id FROM {{ schema }}.{{ table }}
        WHERE day BETWEEN $first_day AND $last_day
    )
QUALIFY row_number() OVER (PARTITION BY prediction_id ORDER BY parse_filename(filename) DESC) = 1
