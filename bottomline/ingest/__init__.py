"""Ingest: a model's new prediction and outcome files (or PostgreSQL rows) into the warehouse.

Takes: a `BusinessCase` and a DuckDB connection. Gives: rows standardised to the warehouse's
columns, loaded once per file (the ledger), upserted by id, with rows that break a critical
check set aside in quarantine; an `IngestReport` of what was read. Modules: `run` (the
stage), `sources` (listing and reading files), `file_reads` (reading ahead), `normalize`,
`loading` (one transaction per group), `stored_ids` (id lookups), `database` and `postgres`,
`preflight` (the case's columns against the sources' before a run), `reference`,
`quarantine`.
"""

# No names are exported here: validation imports ingest's standardised batches while ingest
# runs validation, so the stage's modules are imported directly (bottomline.ingest.run).
