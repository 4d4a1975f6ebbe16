"""A small on-disk cache for work that does not change between builds: photos converted
for a variant, parsed hyphenation dictionaries. Editors rebuild an issue many times; the
second build should not redo them. Set COMPOSITOR_CACHE=off to disable it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path | None:
    setting = os.environ.get("COMPOSITOR_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compositor"


def key_for(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def get(kind: str, key: str) -> bytes | None:
    root = cache_dir()
    if root is None:
        return None
    try:
        return (root / kind / key).read_bytes()
    except OSError:
        return None


def put(kind: str, key: str, data: bytes) -> None:
    root = cache_dir()
    if root is None:
        return
    folder = root / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}"
        tmp.write_bytes(data)
        os.replace(tmp, folder / key)
    except OSError:
        pass  # a cache that cannot be written is only a slower build
