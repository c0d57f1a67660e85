DELETE FROM drift WHERE model = $model AND period_start = $start AND period_end = $end
