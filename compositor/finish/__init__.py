"""Stage 5: finishing the rendered PDF for its reader: the printer or the subscriber."""
