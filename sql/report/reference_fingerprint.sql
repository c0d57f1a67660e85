SELECT any_value(reference_fingerprint), max(built_at) FROM profile_edges WHERE model = $model
