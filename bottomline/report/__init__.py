"""The leadership report: figures to words, charts, HTML and PDF."""
