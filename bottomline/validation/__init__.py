"""Data validation: rules generated from the business case, run with Great Expectations."""
