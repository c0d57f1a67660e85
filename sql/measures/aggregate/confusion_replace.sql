DELETE FROM confusion_daily WHERE model = $model AND list_contains($days, day)
