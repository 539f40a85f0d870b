"""Kill tests (issue 13): SIGKILL every writer at random moments; nothing is lost or left.

Each writer (``scenario compare --out`` (the report folder), ``export`` to GeoPackage,
GeoParquet and a route's GeoJSON, ``skim --out`` to OMX, CSV and Parquet, ``assign --out``
to CSV and TNTP, ``import osm``, ``tcd --out`` (a chart), ``isochrone --out``, ``map``) is run as
its own process with a previous output in place and killed with SIGKILL after a random
delay: half the delays are drawn over the whole measured run, half over its writing phase
(from the moment its temporary appears).
After every kill the output must be the previous one unchanged or the new one complete
(equal to a reference run), never missing; beside it only our own temporaries may be left,
and one more successful run must leave nothing but the output.

The processes are forked from a helper that has imported corridor once, so a kill costs
the writer's work rather than the interpreter's start-up; each child runs exactly what
``python -m corridor ARGS`` runs. ``CORRIDOR_KILLS`` sets the kills per writer (default 5;
``make killtest`` runs 50).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import corridor

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("CORRIDOR_KILLS", "5"))

# A fresh interpreter that imports the CLI once, then forks one child per request line
# ({"argv": [...], "cwd": ...}); it answers {"pid": ...} at once and {"status": ...} (exit
# code, or minus the signal) when the child ends. The child runs `python -m corridor`.
_ZYGOTE = r"""
import json, os, runpy, sys
import corridor.cli.app  # noqa: F401  (import once, before forking)
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        os.chdir(req["cwd"])
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        sys.argv = ["corridor", *req["argv"]]
        code = 0
        try:
            runpy.run_module("corridor", run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 3
        os._exit(code)
    print(json.dumps({"pid": pid}), flush=True)
    _, status = os.waitpid(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    print(json.dumps({"status": code}), flush=True)
"""


class Zygote:
    """Runs ``corridor`` commands as forked processes that can be killed."""

    def __init__(self) -> None:
        src = str(Path(corridor.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env=env,
        )
        self._buf = b""

    def _line(self) -> dict[str, int]:
        assert self.proc.stdout is not None
        while b"\n" not in self._buf:
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("the zygote died")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        data: dict[str, int] = json.loads(line)
        return data

    def start(self, argv: list[str], cwd: Path) -> int:
        """Fork a child running ``corridor ARGV`` in `cwd`; its pid."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps({"argv": argv, "cwd": str(cwd)}) + "\n").encode())
        return int(self._line()["pid"])

    def ready(self) -> bool:
        """Whether the child has ended (its status can be read without waiting)."""
        assert self.proc.stdout is not None
        return b"\n" in self._buf or bool(select.select([self.proc.stdout], [], [], 0)[0])

    def wait(self) -> int:
        """The child's exit code, or minus the signal that ended it."""
        return int(self._line()["status"])

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


# ------------------------------------------------------------------------ normal forms


def _net_form(path: Path) -> str:
    return _net_form_of(corridor.read_network(path))


def _matrix_form(path: Path) -> str:
    m = corridor.read_matrices(path)
    parts = [repr(m.origins.tolist()), repr(m.destinations.tolist())]
    parts += [f"{k}:{np.asarray(v).tobytes().hex()}" for k, v in sorted(m.matrices.items())]
    return "\n".join(parts)


_GENERATED = re.compile(rb"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")


def _folder_form(path: Path) -> str:
    assert path.is_dir() and (path / corridor.atomic.MARKER).is_file(), f"{path}: no marker"
    out = []
    for f in sorted(path.rglob("*")):
        if f.name == corridor.atomic.MARKER or f.is_dir():
            continue
        data = f.read_bytes()
        if f.name == "report.html":
            data = _GENERATED.sub(b"generated <time>", data)
        out.append(f"{f.relative_to(path)}:{hashlib.sha256(data).hexdigest()}")
    return "\n".join(out)


def _bytes_form(path: Path) -> str:
    assert path.is_file(), f"{path} is not a file"
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- writers


@dataclass(frozen=True)
class Writer:
    name: str
    out: str  # the output's name in the work folder
    previous: list[str]  # arguments writing a different, earlier output
    new: list[str]  # arguments writing the output under test
    form: Callable[[Path], str]


_SCENARIOS = {
    "base.yaml": "name: base\ndescription: t\nbase: toy\nedits:\n  - as_of: 2024-01-01\n",
    "fast.yaml": "name: fast\ndescription: t\nbase: toy\nedits:\n"
    "  - set_links: {links: {ref: R2}, speed_kmh: 130}\n",
}
_OSM = (
    '<?xml version="1.0"?><osm version="0.6">'
    + "".join(
        f'<node id="{i}" version="1" lat="{0.001 * (i % 7)}" lon="{10 + 0.001 * i}"/>'
        for i in range(1, 400)
    )
    + '<way id="7" version="1">'
    + "".join(f'<nd ref="{i}"/>' for i in range(1, 200))
    + '<tag k="highway" v="primary"/><tag k="ref" v="E1"/></way>'
    + '<way id="8" version="1">'
    + "".join(f'<nd ref="{i}"/>' for i in range(199, 400))
    + '<tag k="railway" v="rail"/></way></osm>'
)
_COMPARE = ["scenario", "compare", "base.yaml", "fast.yaml", "--network", "toy.gpkg"]
WRITERS = [
    Writer(
        "scenario-compare",
        "report",
        [*_COMPARE, "--places", "A,D", "--profiles", "car", "--out", "report"],
        [*_COMPARE, "--places", "A,B,D", "--profiles", "car,truck40", "--out", "report"],
        _folder_form,
    ),
    Writer(
        "export-gpkg",
        "net.gpkg",
        ["export", "other.gpkg", "--out", "net.gpkg"],
        ["export", "toy.gpkg", "--out", "net.gpkg"],
        _net_form,
    ),
    Writer(
        "export-geoparquet",
        "net.parquet",
        ["export", "other.gpkg", "--out", "net.parquet"],
        ["export", "toy.gpkg", "--out", "net.parquet"],
        _net_form,
    ),
    Writer(
        "skim-omx",
        "m.omx",
        ["skim", "A", "B", "--network", "toy.gpkg", "--out", "m.omx"],
        ["skim", "A", "B", "C", "D", "--network", "toy.gpkg", "--out", "m.omx"],
        _matrix_form,
    ),
    Writer(
        "skim-csv",
        "m.csv",
        ["skim", "A", "B", "--network", "toy.gpkg", "--out", "m.csv"],
        ["skim", "A", "B", "C", "D", "--network", "toy.gpkg", "--out", "m.csv"],
        _matrix_form,
    ),
    Writer(
        "skim-parquet",
        "m.parquet",
        ["skim", "A", "B", "--network", "toy.gpkg", "--out", "m.parquet"],
        ["skim", "A", "B", "C", "D", "--network", "toy.gpkg", "--out", "m.parquet"],
        _matrix_form,
    ),
    Writer(
        "export-route-geojson",
        "route.geojson",
        ["export", "toy.gpkg", "--route", "A", "C", "--out", "route.geojson"],
        ["export", "toy.gpkg", "--route", "A", "D", "--out", "route.geojson"],
        _bytes_form,
    ),
    Writer(
        "assign-csv",
        "flows.csv",
        ["assign", "toy.gpkg", "trips_a.csv", "--out", "flows.csv"],
        ["assign", "toy.gpkg", "trips_b.csv", "--out", "flows.csv"],
        _bytes_form,
    ),
    Writer(
        "assign-tntp",
        "flows.tntp",
        ["assign", "toy.gpkg", "trips_a.csv", "--out", "flows.tntp"],
        ["assign", "toy.gpkg", "trips_b.csv", "--out", "flows.tntp"],
        _bytes_form,
    ),
    Writer(
        "import-osm",
        "osm.gpkg",
        ["import", "osm", "small.osm", "--country", "EE", "--out", "osm.gpkg"],
        ["import", "osm", "small.osm", "--country", "FI", "--out", "osm.gpkg"],
        _net_form,
    ),
    Writer(
        "tcd-chart",
        "tcd.png",
        ["tcd", "A", "D", "--network", "toy.gpkg", "--profile", "truck40", "--out", "tcd.png"],
        ["tcd", "A", "D", "--network", "toy.gpkg", "--out", "tcd.png"],
        _bytes_form,
    ),
    Writer(
        "isochrone-geojson",
        "iso.geojson",
        ["isochrone", "A", "--network", "toy.gpkg", "--hours", "2", "--out", "iso.geojson"],
        ["isochrone", "A", "--network", "toy.gpkg", "--hours", "2,4", "--out", "iso.geojson"],
        _bytes_form,
    ),
    Writer(
        "map-html",
        "map.html",
        ["map", "--network", "other.gpkg", "--out", "map.html"],
        ["map", "--network", "toy.gpkg", "--out", "map.html"],
        _bytes_form,
    ),
]


def _inputs(work: Path) -> list[str]:
    toy = corridor.examples.toy()
    corridor.write_network(toy, work / "toy.gpkg")
    other = toy.with_links(toy.links[toy.links["link_id"] != toy.links["link_id"].max()])
    corridor.write_network(other, work / "other.gpkg")
    for name, text in _SCENARIOS.items():
        (work / name).write_text(text)
    (work / "small.osm").write_text(_OSM)
    (work / "trips_a.csv").write_text("origin,destination,trips\n1,4,100\n2,3,50\n")
    (work / "trips_b.csv").write_text("origin,destination,trips\n1,4,100\n2,3,80\n1,3,20\n")
    return sorted(p.name for p in work.iterdir())


_OURS = r"\.{name}\.(lock|(tmp|old)-[0-9a-f]{{12}}.*)"


def _litter(work: Path, w: Writer, inputs: list[str]) -> list[str]:
    """Names beside the inputs and the output; fails on any that is not ours."""
    extra = sorted(set(os.listdir(work)) - {*inputs, w.out})
    ours = re.compile(_OURS.format(name=re.escape(w.out)))
    foreign = [n for n in extra if not ours.fullmatch(n)]
    assert not foreign, f"{w.name}: unexpected files {foreign}"
    return extra


def _copy(src: Path, dst: Path) -> None:
    if os.path.lexists(dst):
        shutil.rmtree(dst) if dst.is_dir() else dst.unlink()
    shutil.copytree(src, dst) if src.is_dir() else shutil.copy2(src, dst)


def _run(z: Zygote, argv: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    z.start(argv, cwd)
    code = z.wait()
    assert code == 0, f"corridor {' '.join(argv)} exited {code}"
    return time.perf_counter() - t0


def _temporaries(work: Path, w: Writer) -> set[str]:
    prefix = f".{w.out}.tmp-"
    return {n for n in os.listdir(work) if n.startswith(prefix)}


def _timed_reference(z: Zygote, w: Writer, work: Path) -> tuple[float, float, float]:
    """Run `w.new` once: seconds until its temporary appeared, until it went, and in all."""
    t0 = time.perf_counter()
    z.start(w.new, work)
    on = off = None
    while not z.ready():
        if _temporaries(work, w):  # from first to last seen (a GeoPackage's goes and comes)
            off = time.perf_counter() - t0
            on = off if on is None else on
        time.sleep(0.0005)
    code = z.wait()
    total = time.perf_counter() - t0
    assert code == 0, f"{w.name}: reference run exited {code}"
    on = total if on is None else on
    return on, (total if off is None else off), total


@pytest.mark.parametrize("w", WRITERS, ids=[w.name for w in WRITERS])
def test_sigkill_never_loses_the_output(
    w: Writer, zygote: Zygote, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if w.name == "import-osm":
        pytest.importorskip("osmium", reason="pyosmium is needed for the OSM import")
    work = tmp_path / "work"
    work.mkdir()
    inputs = _inputs(work)
    out = work / w.out
    t_on, t_off, t_total = _timed_reference(zygote, w, work)
    new_form = w.form(out)
    _run(zygote, w.previous, work)
    prev_form = w.form(out)
    assert prev_form != new_form
    saved = tmp_path / "previous"
    _copy(out, saved)
    rng = np.random.default_rng(13 + WRITERS.index(w))
    outcomes = {"previous kept": 0, "new complete": 0, "finished": 0, "left litter": 0}
    for i in range(KILLS):
        before = set(_litter(work, w, inputs))
        t0 = time.perf_counter()
        pid = zygote.start(w.new, work)
        if i % 2 == 0:  # anywhere in the run
            time.sleep(float(rng.uniform(0.0, 1.1 * t_total)))
        else:  # while it writes: from the moment a new temporary appears
            while not (_temporaries(work, w) - before) and not zygote.ready():
                if time.perf_counter() - t0 > 10 * t_total + 30:
                    break
                time.sleep(0.0005)
            time.sleep(float(rng.uniform(0.0, 1.1 * max(t_off - t_on, 0.001))))
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        code = zygote.wait()
        assert code in (0, -signal.SIGKILL), f"{w.name}: kill {i}: exit {code}"
        assert os.path.lexists(out), f"{w.name}: kill {i}: the output is missing"
        form = w.form(out)
        assert form in (prev_form, new_form), f"{w.name}: kill {i}: output neither old nor new"
        outcomes["left litter"] += bool(set(_litter(work, w, inputs)) - before)
        if code == 0:
            outcomes["finished"] += 1
        else:
            outcomes["previous kept" if form == prev_form else "new complete"] += 1
        if form == new_form:
            _copy(saved, out)  # put the previous output back for the next kill
    _run(zygote, w.new, work)
    assert w.form(out) == new_form, f"{w.name}: two complete runs differ; unsound comparison"
    assert _litter(work, w, inputs) == [], f"{w.name}: litter after a successful run"
    request.node.user_properties.append(("outcomes", outcomes))
    print(f"{w.name}: {KILLS} kills {outcomes}; run {t_total:.2f} s, writing {t_off - t_on:.2f} s")


def test_concurrent_writers_to_one_out_take_turns(tmp_path: Path) -> None:
    """Four ``export`` processes to one GeoParquet folder: all succeed, one after the other.

    Before the lock, the slower of two racing writers could fail with "Directory not empty"
    and leave a parked ``.old-*`` folder behind.
    """
    work = tmp_path / "work"
    work.mkdir()
    inputs = _inputs(work)
    w = next(w for w in WRITERS if w.name == "export-geoparquet")
    src = str(Path(corridor.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "corridor"]
    subprocess.run([*cmd, *w.previous], cwd=work, env=env, check=True, capture_output=True)
    out = work / w.out
    procs = [
        subprocess.Popen(
            [*cmd, *w.new], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    while any(p.poll() is None for p in procs):
        assert os.path.lexists(out), "the output went missing while writers raced"
        time.sleep(0.002)
    errors = [p.stderr.read() if p.stderr else b"" for p in procs]
    for p in procs:
        if p.stderr:
            p.stderr.close()
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    expected = corridor.read_network(work / "toy.gpkg")
    assert _net_form(out) == _net_form_of(expected)
    assert _litter(work, w, inputs) == []


def _net_form_of(net: corridor.Network) -> str:
    return "\n".join(
        t.astype(str).to_csv(index=False) for t in (net.nodes, net.links, net.crossings, net.turns)
    )
