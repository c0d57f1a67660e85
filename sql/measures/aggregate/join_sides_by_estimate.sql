-- Back to DuckDB's own choice of each join's hash-table side.
RESET disabled_optimizers
