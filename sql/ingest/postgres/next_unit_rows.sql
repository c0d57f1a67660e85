-- The rows of a later unit: watermark after $1 and up to $2, in watermark order.
SELECT * FROM {{ source_query }} AS source
WHERE {{ watermark }} > CAST($1 AS {{ watermark_type }})
    AND {{ watermark }} <= CAST($2 AS {{ watermark_type }})
ORDER BY {{ watermark }}
