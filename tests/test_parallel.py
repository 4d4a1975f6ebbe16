"""The two variants made side by side in two processes: same bytes as one after the other,
and a failure on either side leaves nothing behind."""

from __future__ import annotations

import os

import pytest
from conftest import build, write_issue

from compositor.finish import parallel


@pytest.fixture
def forks(monkeypatch):
    """Counts the worker processes started (fork is wrapped, not replaced)."""
    started = []
    real = parallel.fork

    def counting(work):
        started.append(os.getpid())
        return real(work)

    monkeypatch.setattr(parallel, "fork", counting)
    return started


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_parallel_and_serial_builds_give_identical_bytes(tmp_path, monkeypatch, forks):
    manifest = write_issue(tmp_path / "issue", articles=6)
    outs = {}
    for jobs in ("2", "1"):
        monkeypatch.setenv("COMPOSITOR_JOBS", jobs)
        monkeypatch.setenv("COMPOSITOR_CACHE", str(tmp_path / f"cache-{jobs}"))
        out = tmp_path / f"out-{jobs}"
        out.mkdir()
        assert build(manifest, "-o", str(out), "--variant", "all", "--impose", "saddle") == 0
        outs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(forks) == 1  # only the two-core build forked
    assert sorted(outs["2"]) == sorted(outs["1"]) and len(outs["1"]) == 3
    for name in outs["1"]:
        assert outs["2"][name] == outs["1"][name], name


def test_an_error_in_the_web_worker_writes_nothing(tmp_path, monkeypatch, capsys, forks):
    """The web variant fails inside the worker: its message reaches the user, the print
    file made meanwhile is not published, and no temporary file is left."""
    from compositor.errors import Location, UserError
    from compositor.finish import web

    monkeypatch.setenv("COMPOSITOR_JOBS", "2")
    manifest = write_issue(tmp_path / "issue", articles=3)

    def broken(*_a, **_k):
        raise UserError.at(Location(manifest), "the web file cannot be finished")

    monkeypatch.setattr(web, "finish_web", broken)
    assert build(manifest) == 1
    assert forks
    assert "the web file cannot be finished" in capsys.readouterr().err
    assert not (tmp_path / "issue" / "build").exists() or \
        _files(tmp_path / "issue" / "build") == []


def test_a_crash_in_the_web_worker_is_an_internal_error(tmp_path, monkeypatch, capsys, forks):
    from compositor.finish import web

    monkeypatch.setenv("COMPOSITOR_JOBS", "2")
    manifest = write_issue(tmp_path / "issue", articles=3)
    previous = tmp_path / "issue" / "build" / "issue-print.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"%PDF-1.6 the previous build")

    def crash(*_a, **_k):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(web, "finish_web", crash)
    assert build(manifest) == 70
    assert forks
    assert "ZeroDivisionError" in capsys.readouterr().err
    assert _files(tmp_path / "issue" / "build") == ["issue-print.pdf"]
    assert previous.read_bytes() == b"%PDF-1.6 the previous build"
