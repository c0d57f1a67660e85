-- Where the next unit ends, after the watermark $1 (text, read as the column's type).
SELECT max(w)::text AS high, pg_typeof(max(w))::text AS type_name, count(*) AS n
FROM (
    SELECT {{ watermark }} AS w FROM {{ source_query }} AS source
    WHERE {{ watermark }} > CAST($1 AS {{ watermark_type }})
    ORDER BY {{ watermark }} LIMIT $2
) AS unit
