"""The Parquet archive of raw rows older than a case's retention (see `move`, `reads`)."""
