-- A model's run begins (one row per flow run and model).
INSERT INTO runs (run_id, flow, model, as_of, period_start, period_end, started_at, status)
VALUES ($run_id, $flow, $model, $as_of, $period_start, $period_end, $started_at, 'running')
