"""Business impact: windows, the plan-vs-actual bridge, segments, versions, fairness, baselines."""
