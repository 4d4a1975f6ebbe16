"""Stage 4: drawing a finished layout with ReportLab. No layout decisions are made here."""
