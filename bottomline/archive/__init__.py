"""Archive: raw rows past a case's retention, moved to Parquet beside the warehouse.

Takes: a `BusinessCase` with `retention` and a connection to a warehouse file. Gives: the due
rows moved a month per transaction, written and checked before they are deleted (`move`);
the archived rows of given days beside the warehouse's, for whatever reads raw rows by day
(`reads`); what is where, by month (`inventory`); the folder and its file names (`folder`).
"""
