-- Where the first unit of a source ends: the largest watermark among its first $1 rows in
-- watermark order, that value's type, and how many rows there are.
SELECT max(w)::text AS high, pg_typeof(max(w))::text AS type_name, count(*) AS n
FROM (
    SELECT {{ watermark }} AS w FROM {{ source_query }} AS source
    WHERE {{ watermark }} IS NOT NULL
    ORDER BY {{ watermark }} LIMIT $1
) AS unit
