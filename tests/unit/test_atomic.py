"""Atomic writes: a failed write leaves the previous output; nothing foreign is replaced."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

import corridor.atomic as atomic
from corridor.atomic import MARKER, atomic_dir, atomic_file, exchange_paths, write_text_atomic
from corridor.errors import CorridorError, OutputExistsError


def _killed_file(out: Path) -> None:
    with atomic_file(out) as tmp:
        tmp.write_text("a,b\nhalf")
        raise RuntimeError("killed")


def _killed_dir(out: Path) -> None:
    with atomic_dir(out) as tmp:
        (tmp / "x.txt").write_text("2")
        raise RuntimeError("killed")


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_file_replaced_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    write_text_atomic(out, "a,b\n1,2\n")
    with pytest.raises(RuntimeError):
        _killed_file(out)
    assert out.read_text() == "a,b\n1,2\n"
    write_text_atomic(out, "a,b\n3,4\n")
    assert out.read_text() == "a,b\n3,4\n"
    assert _names(tmp_path) == ["a.csv"]
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_folder_replaced_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with atomic_dir(out) as tmp:
        (tmp / "x.txt").write_text("1")
        (tmp / "y.txt").write_text("1")
    with pytest.raises(RuntimeError):
        _killed_dir(out)
    assert _names(out) == [MARKER, "x.txt", "y.txt"]
    assert (out / "x.txt").read_text() == "1"
    with atomic_dir(out) as tmp:
        (tmp / "z.txt").write_text("3")
    assert _names(out) == [MARKER, "z.txt"]  # replaced, not merged
    assert _names(tmp_path) == ["report"]
    marker = json.loads((out / MARKER).read_text())
    assert marker["tool"] == "corridor" and marker["written_utc"].endswith("Z")


# ---------------------------------------------------------------- what may be replaced


def test_folder_output_refuses_a_foreign_folder_and_a_file(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "notes.txt").write_text("mine")
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"PK\x03\x04 a word file")
    for target in (sub, thesis):
        with pytest.raises(OutputExistsError, match="--force") as info, atomic_dir(target) as tmp:
            (tmp / "report.html").write_text("x")
        assert isinstance(info.value, FileExistsError) and isinstance(info.value, CorridorError)
    assert (sub / "notes.txt").read_text() == "mine"
    assert thesis.read_bytes() == b"PK\x03\x04 a word file"
    assert _names(tmp_path) == ["sub", "thesis.docx"]  # no temp, no lock left


def test_folder_output_block_not_run_when_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    ran = []
    with pytest.raises(OutputExistsError), atomic_dir(tmp_path / "sub"):
        ran.append(1)
    assert ran == []


def test_force_replaces_foreign_folder_and_file(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "notes.txt").write_text("mine")
    with atomic_dir(sub, force=True) as tmp:
        (tmp / "r.txt").write_text("new")
    assert _names(sub) == [MARKER, "r.txt"]
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"PK\x03\x04")
    with atomic_dir(thesis, force=True) as tmp:
        (tmp / "r.txt").write_text("new")
    assert thesis.is_dir()
    folder = tmp_path / "x.csv"
    folder.mkdir()
    write_text_atomic(folder, "a\n", force=True)
    assert folder.read_text() == "a\n"
    assert _names(tmp_path) == ["sub", "thesis.docx", "x.csv"]


def test_legacy_folders_are_recognised(tmp_path: Path) -> None:
    net = tmp_path / "net"
    net.mkdir()
    (net / "meta.json").write_text(json.dumps({"format": "corridor-embedded"}))
    with atomic_dir(net, marker=False) as tmp:
        (tmp / "meta.json").write_text(json.dumps({"format": "corridor-embedded", "v": 2}))
    assert _names(net) == ["meta.json"]  # no marker: the folder stays reproducible
    rep = tmp_path / "rep"
    rep.mkdir()
    (rep / "report.html").write_text("old")
    with pytest.raises(OutputExistsError), atomic_dir(rep):
        pass
    with atomic_dir(rep, layout=("report.html",)) as tmp:
        (tmp / "report.html").write_text("new")
    assert (rep / "report.html").read_text() == "new"
    other = tmp_path / "other"
    other.mkdir()
    (other / "meta.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(OutputExistsError), atomic_dir(other):
        pass


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        ("origin,destination,time_h\n1,2,3\n", "origin,destination,time_h\n5,6,7\n", True),
        ("my,own,table\n1,2,3\n", "origin,destination,time_h\n5,6,7\n", False),
        ("<NUMBER OF ZONES> 3\n", "<NUMBER OF ZONES> 24\n", True),
        ('{"type": "FeatureCollection", "features": []}', '{"features": [1], "type": "Fe'
         'atureCollection"}', True),
        ('{"type": "Feature", "geometry": null}', '{"type": "FeatureCollection", "fe'
         'atures": []}', False),
        ("<!DOCTYPE html><html>mine</html>", '<!DOCTYPE html><html><head><meta name="g'
         'enerator" content="corridor"></head></html>', False),
        ('<!DOCTYPE html><meta name="generator" content="corridor">a', '<!DOCTYPE html><m'
         'eta name="generator" content="corridor">b', True),
    ],
)  # fmt: skip
def test_text_files_replaced_only_by_the_same_kind(
    tmp_path: Path, old: str, new: str, ok: bool
) -> None:
    out = tmp_path / "out.txt"
    out.write_text(old)
    if ok:
        write_text_atomic(out, new)
        assert out.read_text() == new
    else:
        with pytest.raises(OutputExistsError, match="not an earlier output"):
            write_text_atomic(out, new)
        assert out.read_text() == old
    assert _names(tmp_path) == ["out.txt"]


def test_binary_files_need_our_stamp(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"a": [1, 2]})
    foreign, ours = tmp_path / "foreign.parquet", tmp_path / "ours.parquet"
    pq.write_table(table, foreign)
    pq.write_table(table.replace_schema_metadata({"corridor": '{"tool": "corridor"}'}), ours)

    def rewrite(target: Path) -> None:
        with atomic_file(target) as tmp:
            pq.write_table(table.replace_schema_metadata({"corridor": '{"tool": "corridor"}'}), tmp)

    rewrite(ours)
    with pytest.raises(OutputExistsError):
        rewrite(foreign)
    column = tmp_path / "column.parquet"  # a column named "corridor" is no stamp
    pq.write_table(pa.table({"corridor": [1]}), column)
    with pytest.raises(OutputExistsError):
        rewrite(column)
    assert pq.read_table(foreign).schema.metadata is None
    gpkg = tmp_path / "net.gpkg"
    with sqlite3.connect(gpkg) as con:
        con.execute("CREATE TABLE roads (id INTEGER)")
    con.close()

    def rewrite_gpkg() -> None:
        with atomic_file(gpkg) as tmp, closing(sqlite3.connect(tmp)) as db:
            db.execute("CREATE TABLE corridor_meta (key TEXT)")
            db.commit()

    with pytest.raises(OutputExistsError):
        rewrite_gpkg()
    with sqlite3.connect(gpkg) as con:
        assert con.execute("SELECT name FROM sqlite_master").fetchall() == [("roads",)]
    con.close()


def test_unknown_binary_file_refused_before_the_block(tmp_path: Path) -> None:
    out = tmp_path / "x.omx"
    out.write_bytes(b"\x00\x01\x02 binary of someone else")
    with pytest.raises(OutputExistsError, match="unknown format"), atomic_file(out) as tmp:
        raise AssertionError(f"block ran with {tmp}")
    assert out.read_bytes().startswith(b"\x00\x01")


def test_symlink_target_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("a\n1\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(OutputExistsError, match="symbolic link"):
        write_text_atomic(link, "a\n2\n")
    assert real.read_text() == "a\n1\n" and link.is_symlink()


# --------------------------------------------------------------- window, litter, races


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("a")
    (b / "f").write_text("b")
    if not exchange_paths(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available on this system")
    assert (a / "f").read_text() == "b" and (b / "f").read_text() == "a"


def test_fallback_without_exchange_restores_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rep"
    with atomic_dir(out) as tmp:
        (tmp / "v").write_text("1")
    monkeypatch.setattr(atomic, "exchange_paths", lambda a, b: False)
    real_rename = os.rename
    calls: list[str] = []

    def flaky(src: object, dst: object) -> None:
        calls.append(Path(str(dst)).name)
        if Path(str(dst)) == out and ".tmp-" in str(src):
            raise OSError("disk gone")
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "rename", flaky)
    with pytest.raises(OSError, match="disk gone"), atomic_dir(out) as tmp:
        (tmp / "v").write_text("2")
    monkeypatch.setattr(atomic.os, "rename", real_rename)
    assert (out / "v").read_text() == "1"
    assert _names(tmp_path) == ["rep"]
    with atomic_dir(out) as tmp:  # the fallback's success path
        (tmp / "v").write_text("3")
    assert (out / "v").read_text() == "3"
    assert _names(tmp_path) == ["rep"]


def test_death_between_the_renames_is_undone_by_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    with atomic_dir(out) as tmp:
        (tmp / "v").write_text("1")
    # what a run killed between its two renames (the fallback) leaves: no target, the
    # previous output parked, a half-written temporary folder and its lock file
    os.rename(out, tmp_path / ".rep.old-0123456789ab")
    (tmp_path / ".rep.tmp-ba9876543210").mkdir()
    (tmp_path / ".rep.tmp-ba9876543210" / "v").write_text("2")
    (tmp_path / ".rep.lock").write_text("99999\n")
    with pytest.raises(RuntimeError):
        _killed_dir(out)  # the next write fails too, yet the previous output is back
    assert (out / "v").read_text() == "1"
    assert _names(tmp_path) == ["rep"]


def test_litter_of_killed_runs_and_old_versions_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "net.gpkg"
    litter = [
        ".net.gpkg.tmp-0123456789ab.gpkg",
        ".net.gpkg.tmp-0123456789ab.gpkg-journal",
        ".net.gpkg.tmp-aaaaaaaaaaaa.gpkg-wal",
        ".net.gpkg.k2j_x9qa.gpkg",  # atomic_file before v2
        ".net.gpkg.k2j_x9qa.gpkg-journal",
    ]
    for name in litter:
        (tmp_path / name).write_bytes(b"x" * 100)
    keep = [".net.gpkg.notes", "net.gpkg.tmp-0123456789ab.gpkg", ".other.tmp-0123456789ab"]
    for name in keep:
        (tmp_path / name).write_text("not ours")
    with atomic_file(out) as tmp:
        with sqlite3.connect(tmp) as con:
            con.execute("CREATE TABLE corridor_meta (key TEXT)")
        con.close()
    assert _names(tmp_path) == sorted([*keep, "net.gpkg"])
    # old-version folder litter: .X.tmp-<8> and .X.old-<8>/previous with no target
    rep = tmp_path / "rep"
    (tmp_path / ".rep.tmp-ab12cd34").mkdir()
    (tmp_path / ".rep.old-ab12cd34" / "previous").mkdir(parents=True)
    (tmp_path / ".rep.old-ab12cd34" / "previous" / "report.html").write_text("previous")
    with pytest.raises(RuntimeError), atomic_dir(rep, layout=("report.html",)) as tmp:
        raise RuntimeError("killed")
    assert (rep / "report.html").read_text() == "previous"
    assert _names(tmp_path) == sorted([*keep, "net.gpkg", "rep"])


def test_concurrent_writers_are_serialised(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    errors: list[BaseException] = []
    inside = threading.Lock()
    overlaps = []

    def write(i: int) -> None:
        try:
            with atomic_dir(out) as tmp:
                if not inside.acquire(blocking=False):
                    overlaps.append(i)
                    return
                try:
                    for k in range(20):
                        (tmp / f"{k}.txt").write_text(str(i))
                finally:
                    inside.release()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and overlaps == []
    values = {(out / f"{k}.txt").read_text() for k in range(20)}
    assert len(values) == 1  # one writer's complete output, never a mix
    assert _names(tmp_path) == ["rep"]


def test_check_output_matches_the_writers_rule(tmp_path: Path) -> None:
    from corridor.atomic import check_output

    assert check_output(tmp_path / "new", folder=True) == tmp_path / "new"
    (tmp_path / "f.csv").write_text("a\n")
    assert check_output(tmp_path / "f.csv", folder=False) == tmp_path / "f.csv"
    with pytest.raises(OutputExistsError, match="not a folder corridor wrote"):
        check_output(tmp_path / "f.csv", folder=True)
    with pytest.raises(OutputExistsError, match="not a file corridor wrote"):
        check_output(tmp_path, folder=False)
    with pytest.raises(OutputExistsError, match="folder not written by corridor"):
        check_output(tmp_path, folder=True)
    (tmp_path / "report.html").write_text("x")
    assert check_output(tmp_path, folder=True, layout=("report.html",)) == tmp_path
    assert check_output(tmp_path / "f.csv", folder=True, force=True) == tmp_path / "f.csv"


def test_large_omx_recognised_by_its_stamp(tmp_path: Path) -> None:
    pytest.importorskip("openmatrix")
    import numpy as np

    from corridor.export.omx import read_matrices, write_matrices

    rng = np.random.default_rng(7)
    ids = np.arange(1, 401)
    out = tmp_path / "big.omx"
    for _ in range(2):  # 400 x 400 x 8 bytes: the stamp is not in the last 64 KiB
        write_matrices({"time_h": rng.random((400, 400))}, out, origins=ids, destinations=ids)
    assert out.stat().st_size > 1_000_000
    assert read_matrices(out).attrs == {}


def test_a_read_puts_back_a_parked_output(tmp_path: Path) -> None:
    import corridor
    from corridor.atomic import recover_output

    out = corridor.write_network(corridor.examples.toy(), tmp_path / "net.parquet")
    assert recover_output(out)  # present: nothing to do
    os.rename(out, tmp_path / ".net.parquet.old-00112233aabb")  # killed between renames
    net = corridor.read_network(out)
    assert len(net.links) == len(corridor.examples.toy().links)
    assert _names(tmp_path) == ["net.parquet"]
    assert not recover_output(tmp_path / "never-written")
    with pytest.raises(corridor.DataSourceError, match="no such file"):
        corridor.read_network(tmp_path / "never-written.parquet")
    assert _names(tmp_path) == ["net.parquet"]
