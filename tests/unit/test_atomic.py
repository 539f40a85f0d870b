"""Atomic writes: a failed write leaves the previous output and no temporary files."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.atomic import atomic_dir, atomic_file, write_text_atomic


def _killed_file(out: Path) -> None:
    with atomic_file(out) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")


def _killed_dir(out: Path) -> None:
    with atomic_dir(out) as tmp:
        (tmp / "x.txt").write_text("2")
        raise RuntimeError("killed")


def test_file_replaced_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    write_text_atomic(out, "old")
    with pytest.raises(RuntimeError):
        _killed_file(out)
    assert out.read_text() == "old"
    write_text_atomic(out, "new")
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_folder_replaced_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with atomic_dir(out) as tmp:
        (tmp / "x.txt").write_text("1")
        (tmp / "y.txt").write_text("1")
    with pytest.raises(RuntimeError):
        _killed_dir(out)
    assert sorted(p.name for p in out.iterdir()) == ["x.txt", "y.txt"]
    assert (out / "x.txt").read_text() == "1"
    with atomic_dir(out) as tmp:
        (tmp / "z.txt").write_text("3")
    assert [p.name for p in out.iterdir()] == ["z.txt"]  # replaced, not merged
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
