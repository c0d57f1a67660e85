-- Drift (issue 5): bins fixed from the reference, daily profiles over them, and results.
CREATE TABLE profile_edges (
    model VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,              -- numeric | categorical
    edges DOUBLE[] NOT NULL,            -- numeric: the reference's quantiles (1,001 levels)
    decile_edges DOUBLE[] NOT NULL,     -- numeric: the reference's deciles (PSI bins)
    reference_mean DOUBLE,
    reference_std DOUBLE,
    reference_fingerprint VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL
);

-- The reference's own profile over the same bins.
CREATE TABLE profile_reference (
    model VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    bin VARCHAR NOT NULL,               -- numeric: bin number as text; categorical: the value
    count BIGINT NOT NULL,
    value_sum DOUBLE,
    matured BIGINT NOT NULL,
    realized_value DOUBLE NOT NULL
);

CREATE TABLE profiles_daily (
    model VARCHAR NOT NULL,
    day DATE NOT NULL,
    column_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    bin VARCHAR NOT NULL,               -- '_null' for missing values
    count BIGINT NOT NULL,
    value_sum DOUBLE,                   -- numeric: sum of the values in the bin
    matured BIGINT NOT NULL,            -- rows of the bin with a known outcome
    realized_value DOUBLE NOT NULL      -- currency
);

CREATE TABLE drift (
    model VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    column_name VARCHAR NOT NULL,
    method VARCHAR NOT NULL,            -- ks | psi | js | wasserstein | chi2 | missing_rate_change
    statistic DOUBLE NOT NULL,
    p_value DOUBLE,
    severity VARCHAR NOT NULL,          -- none | warning | alert
    computed_at TIMESTAMP NOT NULL
);

-- Days aggregated before profiles existed get profiled by the next run.
INSERT INTO stale_days (model, day)
SELECT DISTINCT model, day FROM metrics_daily
WHERE (model, day) NOT IN (SELECT (model, day) FROM stale_days);
