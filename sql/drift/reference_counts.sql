SELECT column_name, bin, count, value_sum, matured, realized_value
FROM profile_reference
WHERE model = $model
