DELETE FROM profile_reference WHERE model = $model
