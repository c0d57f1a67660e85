-- The rows of the first unit: watermark up to $1, in watermark order.
SELECT * FROM {{ source_query }} AS source
WHERE {{ watermark }} <= CAST($1 AS {{ watermark_type }})
ORDER BY {{ watermark }}
