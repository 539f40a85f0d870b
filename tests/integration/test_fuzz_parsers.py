"""Fuzzing every reader with a mutation corpus: a result or a CorridorError, nothing else.

Seeds are valid files written here (the toy network as GeoParquet and GeoPackage, the GTFS
feed and TNTP files of the unit tests, a bundled scenario, the truck profile, a small OSM
extract); :mod:`tests.fuzz_support` mutates them. ``CORRIDOR_FUZZ_SCALE`` scales the
number of cases (see ``make fuzz``).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz_support import MUTATIONS, budget, clean, mutate
from tests.unit.io.test_gtfs import feed_files
from tests.unit.io.test_tntp_io import LINKS, NET, TRIPS

import corridor
from corridor.costs.profiles import load_profile
from corridor.io.gtfs import read_gtfs
from corridor.io.tntp import read_tntp_demand, read_tntp_flow, read_tntp_net, read_tntp_nodes
from corridor.scenario import load_scenario

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def parquet_seed(work: Path) -> Path:
    return corridor.write_network(corridor.examples.toy(), work / "seed.parquet")


@pytest.fixture(scope="module")
def gpkg_seed(work: Path) -> bytes:
    return corridor.write_network(corridor.examples.toy(), work / "seed.gpkg").read_bytes()


@given(
    member=st.sampled_from(["meta.json", "nodes.parquet", "links.parquet", "crossings.parquet"]),
    ops=MUTATIONS,
)
@budget(150)
def test_geoparquet_network(work: Path, parquet_seed: Path, member: str, ops: list) -> None:
    case = work / "case.parquet"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(parquet_seed, case)
    (case / member).write_bytes(mutate((parquet_seed / member).read_bytes(), ops))
    clean(lambda: corridor.read_network(case))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # GDAL warns about what it reads
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@given(ops=MUTATIONS)
@budget(100)
def test_geopackage_network(work: Path, gpkg_seed: bytes, ops: list) -> None:
    case = work / "case.gpkg"
    case.write_bytes(mutate(gpkg_seed, ops))
    clean(lambda: corridor.read_network(case))


@given(member=st.sampled_from(sorted(feed_files())), ops=MUTATIONS, whole=st.booleans())
@budget(300)
def test_gtfs_feed(work: Path, member: str, ops: list, whole: bool) -> None:
    case = work / "feed.zip"
    files = {k: v.encode() for k, v in feed_files().items()}
    files["frequencies.txt"] = (
        b"trip_id,start_time,end_time,headway_secs\nT3,06:00:00,07:00:00,1200\n"
    )
    if not whole:
        files[member] = mutate(files[member], ops)
    with zipfile.ZipFile(case, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    if whole:
        case.write_bytes(mutate(case.read_bytes(), ops))
    clean(lambda: read_gtfs(case))


_TNTP = {
    "net": (NET.format(thru=1, n=4, links="\n".join(LINKS)), read_tntp_net),
    "trips": (TRIPS.format(back="2.5"), read_tntp_demand),
    "flow": ("From To Volume Cost\n1 3 10.5 1.2\n3 2 4.0 2.0\n", read_tntp_flow),
    "node": ("Node X Y ;\n1 0.0 0.0 ;\n2 1.0 0.0 ;\n3 0.5 0.5 ;\n", read_tntp_nodes),
}


@given(kind=st.sampled_from(sorted(_TNTP)), ops=MUTATIONS)
@budget(500)
def test_tntp_files(work: Path, kind: str, ops: list) -> None:
    text, reader = _TNTP[kind]
    case = work / f"case_{kind}.tntp"
    case.write_bytes(mutate(text.encode(), ops))
    clean(lambda: reader(case))


@pytest.fixture(scope="module")
def scenario_seed() -> bytes:
    folder = Path(corridor.__file__).parent / "scenario" / "bundled_files"
    return b"".join(p.read_bytes() for p in sorted(folder.glob("*.yaml"))[:1])


@given(ops=MUTATIONS)
@budget(60)
def test_scenario_yaml(work: Path, scenario_seed: bytes, toy: corridor.Network, ops: list) -> None:
    case = work / "case.yaml"
    case.write_bytes(mutate(scenario_seed, ops))
    sc = clean(lambda: load_scenario(case))
    if isinstance(sc, corridor.Scenario):
        clean(lambda: sc.apply(toy))


_TOY_SCENARIO = b"""name: fuzz
base: toy
edits:
  - set_links: {links: {ref: R2}, speed_kmh: 120, toll_usd: 5}
  - close_links: {links: {mode: rail, between: [A, D]}, date: 2020-01-01}
  - set_crossing: {crossing: C, mode: road, direction: a_to_b, delay_factor: 3}
  - close_crossing: {crossing: C, mode: rail}
  - add_route: {places: [A, E, D], mode: road, speed_kmh: 100, class: motorway, ref: N1}
  - as_of: 2024-01-01
  - scale_demand: 1.5
"""


@given(ops=MUTATIONS)
@budget(60)
def test_scenario_edits_on_the_toy(work: Path, toy: corridor.Network, ops: list) -> None:
    case = work / "toy_case.yaml"
    case.write_bytes(mutate(_TOY_SCENARIO, ops))
    sc = clean(lambda: load_scenario(case))
    if isinstance(sc, corridor.Scenario):
        clean(lambda: sc.apply(toy))


@given(ops=MUTATIONS)
@budget(80)
def test_profile_yaml(work: Path, ops: list) -> None:
    seed = (Path(corridor.__file__).parent / "costs" / "profiles" / "truck40.yaml").read_bytes()
    case = work / "case_profile.yaml"
    case.write_bytes(mutate(seed, ops))
    prof = clean(lambda: load_profile(case))
    if not isinstance(prof, corridor.CorridorError):
        net = corridor.examples.toy()
        clean(lambda: corridor.route(net, "A", "D", profile=prof))


_OSM = b"""<?xml version="1.0"?>
<osm version="0.6">
<node id="1" version="1" lat="0" lon="10"/>
<node id="2" version="1" lat="0" lon="10.001"/>
<node id="3" version="1" lat="0" lon="10.002"/>
<node id="4" version="1" lat="0.001" lon="10.002"/>
<way id="7" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
<tag k="highway" v="primary"/><tag k="ref" v="E1"/><tag k="maxspeed" v="90"/></way>
<way id="8" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/>
<tag k="oneway" v="yes"/></way>
<way id="9" version="1"><nd ref="3"/><nd ref="4"/><tag k="railway" v="rail"/></way>
</osm>
"""


@given(ops=MUTATIONS)
@budget(120)
def test_osm_extract(work: Path, ops: list) -> None:
    case = work / "case.osm"
    case.write_bytes(mutate(_OSM, ops))
    clean(lambda: corridor.read_osm(case))


@given(name=st.text(max_size=300) | st.sampled_from(["²", "9" * 5000, "x" + " " * 16000, "\ud800"]))
@budget(600)
def test_place_lookup(toy: corridor.Network, name: str) -> None:
    res = clean(lambda: corridor.lookup_place(toy, name, role="origin"))
    if not isinstance(res, corridor.CorridorError):
        assert res.node_id in set(toy.nodes["node_id"])


@pytest.fixture(scope="module")
def matrix_seeds(work: Path) -> dict[str, bytes]:
    import numpy as np

    m = {"time_h": np.array([[0.0, 1.5], [2.0, 0.0]])}
    out = {}
    for suffix in (".csv", ".parquet", ".omx"):
        path = corridor.write_matrices(
            m, work / f"seed{suffix}", origins=[1, 2], destinations=[1, 2]
        )
        out[suffix] = path.read_bytes()
    return out


@pytest.mark.filterwarnings("ignore::tables.NaturalNameWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")  # PyTables warns about damaged nodes
@given(suffix=st.sampled_from([".csv", ".parquet", ".omx"]), ops=MUTATIONS)
@budget(150)
def test_matrix_files(work: Path, matrix_seeds: dict[str, bytes], suffix: str, ops: list) -> None:
    case = work / f"case{suffix}"
    case.write_bytes(mutate(matrix_seeds[suffix], ops))
    clean(lambda: corridor.read_matrices(case))
