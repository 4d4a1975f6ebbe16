"""Stage 2: the content model. Plain typed data; knows nothing of pages or ReportLab."""
