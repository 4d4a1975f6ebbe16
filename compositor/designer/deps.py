"""Every file a build of an issue reads, so `watch` rebuilds when one of them is saved and
only then."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from compositor.errors import UserError
from compositor.model.content import Figure, ListBlock, Quote


def used_files(loaded) -> set[Path]:
    """Manifest, publication file, articles, boxes, photos, logo, the layout and every file
    it extends, the fonts and the ICC profile: all resolved to absolute paths."""
    from compositor.designer.layoutinfo import layout_chain
    from compositor.finish.variants import profile_path
    from compositor.load.yamlfile import Mapping, load_yaml_file

    issue, spec = loaded.issue, loaded.spec
    files: set[Path] = {issue.manifest}
    top = load_yaml_file(issue.manifest)
    if isinstance(top, Mapping) and isinstance(top.get("publication"), str):
        files.add(issue.manifest.parent / top["publication"])
    if issue.publication.logo is not None:
        files.add(issue.publication.logo)
    for article in issue.articles:
        files.add(article.where.path)
        if article.lead is not None:
            files.add(article.lead.path)
        files.update(_figures(article.all_blocks or article.blocks))
    for box in issue.boxes:
        files.add(box.where.path)
        files.update(_figures(box.blocks))
    files.update(layout_chain(issue.layout_ref, issue.layout_where))
    for faces in spec.fonts.values():
        files.update(faces.values())
    with contextlib.suppress(UserError):  # a missing profile is reported by the build
        files.add(profile_path(spec.section("print")["profile"], spec.source))
    return {p.resolve() for p in files}


def _figures(blocks: Iterable) -> Iterable[Path]:
    for block in blocks:
        if isinstance(block, Figure):
            yield block.path
        elif isinstance(block, Quote):
            yield from _figures(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _figures(item)
