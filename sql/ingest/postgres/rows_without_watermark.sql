-- Rows of a source that can never be read incrementally: their watermark is NULL.
SELECT count(*) AS n FROM {{ source_query }} AS source WHERE {{ watermark }} IS NULL
