-- No archived rows: an empty selection with the columns of the warehouse's table.
SELECT * FROM {{ schema }}.{{ table }} WHERE false
