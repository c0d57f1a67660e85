DELETE FROM profile_edges WHERE model = $model
