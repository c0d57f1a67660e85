-- While the rows of a unit are planned: a LEFT JOIN keeps its hash table on its right side
-- (outcomes: ids and labels) rather than on the side DuckDB expects to be smaller.
SET disabled_optimizers = 'build_side_probe_side'
