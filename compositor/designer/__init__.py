"""Tools for designers and editors around the build: a live preview while files are saved
(`watch`), page images (`preview`), visual comparison of two PDFs (`diff`), a new issue
from a template (`new`), the resolved layout with where each value came from
(`layout show`) and JSON Schemas for editors (`schema`).

Nothing here is imported by `build`; each command imports what it needs when it runs."""
