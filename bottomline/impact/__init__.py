"""Business impact: windows, the plan-vs-actual bridge, the verdict, segments, versions,
fairness, baselines. Takes: a window's daily aggregates (`measures`). Gives: `BusinessImpact`."""
