"""compositor: print-ready PDF newsletters from a folder of Markdown and YAML.

The pipeline runs one way:

    load (manifest, layout)  ->  model (articles, blocks)  ->  layout (pages, columns, flow)
    ->  render (ReportLab)  ->  finish (print and web variants, preflight)  ->  CLI

Each stage lives in its own sub-package; see README.md for the architecture notes.
"""

__version__ = "0.1.0"
