-- A window's profile: the sum of its days' profiles (raw rows are never read).
SELECT column_name, bin, sum(count)::BIGINT AS count, sum(value_sum) AS value_sum,
       sum(matured)::BIGINT AS matured, sum(realized_value) AS realized_value
FROM profiles_daily
WHERE model = $model AND day BETWEEN $start AND $end
GROUP BY column_name, bin
