-- Database sources (issue 8): how far each has been read. Written in the same transaction as
-- the unit of rows it ends, so it never runs ahead of what is stored.
CREATE TABLE source_watermarks (
    model VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- predictions | outcomes
    source VARCHAR NOT NULL,            -- postgres:<dsn env>:<table or query hash>:<column>
    watermark VARCHAR NOT NULL,         -- the column's last value read, as PostgreSQL prints it
    watermark_type VARCHAR NOT NULL,    -- its PostgreSQL type
    run_id VARCHAR,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (model, kind, source)
);
