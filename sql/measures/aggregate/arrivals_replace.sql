DELETE FROM outcome_arrivals_daily WHERE model = $model AND list_contains($days, day)
