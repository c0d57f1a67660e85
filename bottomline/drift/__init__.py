"""Drift: mergeable daily profiles over bins fixed from the reference, and statistics on them."""
