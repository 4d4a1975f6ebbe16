"""Stage 1: read and validate the manifest, the layout and the files they name."""
