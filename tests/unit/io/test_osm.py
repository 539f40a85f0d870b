"""OSM import on small XML files written here, with answers worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor
import corridor.progress
from corridor.io.osm import OsmOptions, default_speed_kmh, parse_maxspeed, read_osm
from corridor.units import haversine_km

pytest.importorskip("osmium", reason="pyosmium is needed for the OSM import")

STEP = 0.001  # degrees of longitude between neighbouring test nodes (at lat 0: 111.2 m)


def test_import_progress_is_the_shared_progress_type() -> None:
    assert corridor.ImportProgress is corridor.progress.Progress
    p = corridor.ImportProgress("build", 0, 1, "steps")
    assert (p.phase, p.done, p.total, p.unit, p.fraction) == ("build", 0, 1, "steps", 0.0)


def osm_xml(
    nodes: dict[int, tuple[float, float]],
    ways: dict[int, tuple[list[int], dict[str, str]]],
    relations: dict[int, tuple[list[tuple[str, int, str]], dict[str, str]]] | None = None,
    node_tags: dict[int, dict[str, str]] | None = None,
) -> str:
    """An OSM XML document. nodes: id -> (lon, lat); ways: id -> (refs, tags)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for nid, (lon, lat) in sorted(nodes.items()):
        tags = (node_tags or {}).get(nid, {})
        body = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        out.append(f'<node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">{body}</node>')
    for wid, (refs, tags) in sorted(ways.items()):
        body = "".join(f'<nd ref="{r}"/>' for r in refs)
        body += "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        out.append(f'<way id="{wid}" version="1">{body}</way>')
    for rid, (members, tags) in sorted((relations or {}).items()):
        body = "".join(f'<member type="{t}" ref="{r}" role="{role}"/>' for t, r, role in members)
        body += "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        out.append(f'<relation id="{rid}" version="1">{body}</relation>')
    out.append("</osm>")
    return "\n".join(out)


def write(tmp_path: Path, text: str, name: str = "t.osm") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def line_nodes(
    ids: list[int], lat: float = 0.0, lon0: float = 10.0
) -> dict[int, tuple[float, float]]:
    return {nid: (lon0 + i * STEP, lat) for i, nid in enumerate(ids)}


def steps_km(k: int) -> float:
    return float(haversine_km(10.0, 0.0, 10.0 + STEP, 0.0)) * k


FI = OsmOptions(country="FI", largest_component=False)


def link_between(net: corridor.Network, a: int, b: int) -> dict[str, object]:
    links = net.links
    hit = links[
        ((links["a_node"] == a) & (links["b_node"] == b))
        | ((links["a_node"] == b) & (links["b_node"] == a))
    ]
    assert len(hit) == 1, f"expected one link {a}-{b}, got {len(hit)}"
    row: dict[str, object] = hit.iloc[0].to_dict()
    return row


def test_contraction_keeps_junctions_and_attribute_changes(tmp_path: Path) -> None:
    nodes = line_nodes([1, 2, 3, 4, 5, 6, 7])
    nodes[8] = (10.0 + 2 * STEP, STEP)  # north of node 3
    res = {"highway": "residential", "name": "Main", "maxspeed": "50"}
    ways = {
        101: ([1, 2, 3], res),
        102: ([3, 4, 5], res),
        103: ([5, 6, 7], {**res, "maxspeed": "30"}),
        104: ([3, 8], {"highway": "service", "name": "Side"}),
    }
    net = read_osm(write(tmp_path, osm_xml(nodes, ways)), options=FI)
    assert sorted(net.nodes["node_id"]) == [1, 3, 5, 7, 8]
    assert len(net.links) == 4
    first = link_between(net, 1, 3)
    assert first["length_km"] == pytest.approx(steps_km(2), rel=1e-9)
    assert first["speed_kmh"] == 50.0
    assert link_between(net, 5, 7)["speed_kmh"] == 30.0
    side = link_between(net, 3, 8)
    assert side["speed_kmh"] == default_speed_kmh("road", "service", "FI") == 20.0
    # geometry keeps the contracted node 2
    coords = np.asarray(first["geometry"].coords)  # type: ignore[attr-defined]
    assert len(coords) == 3
    assert {tuple(coords[1])} == {(10.0 + STEP, 0.0)}


def test_contraction_across_ways_with_equal_attributes(tmp_path: Path) -> None:
    nodes = line_nodes([1, 2, 3, 4, 5])
    tags = {"highway": "primary", "ref": "7", "name": "Long"}
    ways = {201: ([1, 2, 3], tags), 202: ([3, 4, 5], tags)}
    net = read_osm(write(tmp_path, osm_xml(nodes, ways)), options=FI)
    assert len(net.links) == 1
    link = link_between(net, 1, 5)
    assert link["length_km"] == pytest.approx(steps_km(4))
    assert link["ref"] == "7"
    assert link["provenance"] == "osm ways 201;202"
    assert len(link["geometry"].coords) == 5  # type: ignore[attr-defined]
    plain = read_osm(
        write(tmp_path, osm_xml(nodes, ways), "p.osm"),
        options=OsmOptions(country="FI", largest_component=False, simplify=False),
    )
    assert len(plain.links) == 4
    assert plain.links["length_km"].sum() == pytest.approx(steps_km(4))


def test_oneway_directions_and_speed_units(tmp_path: Path) -> None:
    nodes = line_nodes([1, 2, 3, 4])
    ways = {
        301: ([1, 2], {"highway": "secondary", "oneway": "yes", "maxspeed": "30 mph"}),
        302: ([2, 3], {"highway": "secondary", "oneway": "-1"}),
        303: ([3, 4], {"highway": "motorway"}),
        304: ([4, 3], {"highway": "motorway", "oneway": "no", "maxspeed": "RU:urban"}),
    }
    net = read_osm(write(tmp_path, osm_xml(nodes, ways)), options=FI)
    links = net.links.set_index(["a_node", "b_node"])
    assert bool(links.loc[(1, 2), "oneway"])
    assert links.loc[(1, 2), "speed_kmh"] == pytest.approx(30 * 1.609344)
    assert bool(links.loc[(3, 2), "oneway"])  # reversed: runs 3 -> 2
    assert links.loc[(3, 2), "speed_kmh"] == default_speed_kmh("road", "secondary", "FI") == 60.0
    assert bool(links.loc[(3, 4), "oneway"])  # motorway implies one way
    assert links.loc[(3, 4), "speed_kmh"] == 120.0
    assert not bool(links.loc[(4, 3), "oneway"])
    assert links.loc[(4, 3), "speed_kmh"] == 60.0
    graph = corridor.compile_graph(net, modes="road")
    assert graph.n_arcs == 5  # three one-way arcs and one two-way link


def test_railway_attributes_and_class_filter(tmp_path: Path) -> None:
    nodes = line_nodes([1, 2, 3])
    nodes.update({9: (10.0, STEP), 10: (10.0 + STEP, STEP)})
    ways = {
        401: (
            [1, 2, 3],
            {"railway": "rail", "gauge": "1524", "electrified": "contact_line", "usage": "main"},
        ),
        402: ([9, 10], {"railway": "rail", "service": "siding", "maxspeed": "15"}),
        403: ([1, 9], {"highway": "residential"}),
    }
    path = write(tmp_path, osm_xml(nodes, ways))
    net = read_osm(path, options=FI)
    main = link_between(net, 1, 3)
    assert (main["mode"], main["class"], main["usage"]) == ("rail", "rail", "main")
    assert main["gauge_mm"] == 1524.0
    assert main["electrified"] is True or main["electrified"] == np.True_
    assert main["speed_kmh"] == 100.0
    siding = link_between(net, 9, 10)
    assert siding["service"] == "siding"
    assert siding["speed_kmh"] == 15.0
    assert math.isnan(float(siding["gauge_mm"]))  # type: ignore[arg-type]
    only_rail = read_osm(path, options=OsmOptions(country="FI", classes=("rail",)))
    assert set(only_rail.links["mode"]) == {"rail"}
    roads = read_osm(path, options=OsmOptions(country="FI", modes=("road",)))
    assert list(roads.links["class"]) == ["residential"]


def test_street_with_tram_tracks_is_road_and_rail(tmp_path: Path) -> None:
    nodes = line_nodes([1, 2, 3])
    tags = {"highway": "secondary", "railway": "tram", "gauge": "1000", "name": "Mannerheimintie"}
    net = read_osm(write(tmp_path, osm_xml(nodes, {1: ([1, 2, 3], tags)})), options=FI)
    assert sorted(net.links["mode"]) == ["rail", "road"]
    assert set(net.links["name"]) == {"Mannerheimintie"}
    assert net.links["length_km"].tolist() == pytest.approx([steps_km(2)] * 2)


def test_bbox_and_polygon_clip_segments(tmp_path: Path) -> None:
    import shapely

    nodes = line_nodes([1, 2, 3, 4])
    ways = {501: ([1, 2, 3, 4], {"highway": "tertiary"})}
    path = write(tmp_path, osm_xml(nodes, ways))
    box = (9.9995, -0.001, 10.0025, 0.001)  # holds nodes 1..3
    clipped = read_osm(path, options=OsmOptions(country="FI", bbox=box))
    assert sorted(clipped.nodes["node_id"]) == [1, 3]
    assert clipped.links["length_km"].sum() == pytest.approx(steps_km(2))
    poly = shapely.box(10.0005, -0.001, 10.0035, 0.001)  # holds nodes 2..4
    by_poly = read_osm(path, options=OsmOptions(country="FI", polygon=poly))
    assert sorted(by_poly.nodes["node_id"]) == [2, 4]


def test_largest_component_drops_dead_end_oneway_and_islands(tmp_path: Path) -> None:
    nodes = line_nodes([1, 2, 3])
    nodes.update({4: (11.0, 0.0), 5: (11.0 + STEP, 0.0), 6: (10.0, STEP)})
    ways = {
        601: ([1, 2, 3], {"highway": "residential"}),
        602: ([4, 5], {"highway": "residential"}),  # an island
        603: ([3, 6], {"highway": "residential", "oneway": "yes"}),  # cannot come back
    }
    net = read_osm(write(tmp_path, osm_xml(nodes, ways)), options=OsmOptions(country="FI"))
    assert sorted(net.nodes["node_id"]) == [1, 3]


def test_border_control_sides_from_gazetteer(tmp_path: Path) -> None:
    # Vaalimaa-Torfyanovka, the FI-RU road crossing on E18
    nodes = {1: (27.80, 60.58), 2: (27.82, 60.585), 3: (27.84, 60.59)}
    ways = {701: ([1, 2, 3], {"highway": "trunk", "ref": "E18"})}
    tags = {2: {"barrier": "border_control", "name": "Vaalimaa"}}
    path = write(tmp_path, osm_xml(nodes, ways, node_tags=tags))
    net = read_osm(path)
    node = net.nodes.set_index("node_id").loc[2]
    assert (node["kind"], node["country_a"], node["country_b"]) == ("border_crossing", "FI", "RU")
    assert node["name"] == "Vaalimaa"
    assert len(net.links) == 2  # never contracted across the crossing
    # with a fixed country there is no second side: kept as a junction, and said so
    inland = read_osm(path, options=OsmOptions(country="FI"))
    node = inland.nodes.set_index("node_id").loc[2]
    assert node["kind"] == "junction"
    assert "no second country" in node["provenance"]


def crossroads() -> tuple[
    dict[int, tuple[float, float]], dict[int, tuple[list[int], dict[str, str]]]
]:
    """A plus-shaped junction at node 5 with arms west 1-2, east 8-9, south 3, north 7."""
    nodes = {
        1: (10.0, 0.0),
        2: (10.0 + STEP, 0.0),
        5: (10.0 + 2 * STEP, 0.0),
        8: (10.0 + 3 * STEP, 0.0),
        9: (10.0 + 4 * STEP, 0.0),
        3: (10.0 + 2 * STEP, -STEP),
        7: (10.0 + 2 * STEP, STEP),
    }
    road = {"highway": "tertiary"}
    ways = {
        11: ([1, 2, 5], road),
        12: ([5, 8, 9], road),
        13: ([3, 5], road),
        14: ([5, 7], road),
    }
    return nodes, ways


def test_turn_restrictions_via_node_and_via_way(tmp_path: Path) -> None:
    nodes, ways = crossroads()
    nodes[6] = (10.0 + 2 * STEP, 2 * STEP)
    nodes[10] = (10.0 + 3 * STEP, STEP)
    ways[15] = ([7, 6], {"highway": "tertiary"})
    ways[16] = ([7, 10], {"highway": "tertiary"})  # 7 becomes a junction
    relations = {
        900: (
            [("w", 11, "from"), ("n", 5, "via"), ("w", 14, "to")],
            {"type": "restriction", "restriction": "no_left_turn"},
        ),
        901: (
            [("w", 13, "from"), ("w", 14, "via"), ("w", 15, "to")],
            {"type": "restriction", "restriction": "only_straight_on"},
        ),
        902: (
            [("w", 999, "from"), ("n", 5, "via"), ("w", 14, "to")],
            {"type": "restriction", "restriction": "no_right_turn"},
        ),  # way not imported
        903: ([("w", 11, "from"), ("n", 5, "via"), ("w", 14, "to")], {"type": "multipolygon"}),
    }
    net = read_osm(write(tmp_path, osm_xml(nodes, ways, relations)), options=FI)
    turns = net.turns
    assert len(turns) == 2
    west = link_between(net, 1, 5)["link_id"]
    north = link_between(net, 5, 7)["link_id"]
    south = link_between(net, 3, 5)["link_id"]
    beyond = link_between(net, 7, 6)["link_id"]
    row = turns[turns["provenance"] == "osm relation 900"].iloc[0]
    assert (row["kind"], row["from_link"], row["via_node"], row["via_links"], row["to_link"]) == (
        "no",
        west,
        5,
        "",
        north,
    )
    row = turns[turns["provenance"] == "osm relation 901"].iloc[0]
    assert (row["kind"], row["from_link"], row["via_node"], row["via_links"], row["to_link"]) == (
        "only",
        south,
        5,
        str(north),
        beyond,
    )


def test_imported_restriction_changes_the_route(tmp_path: Path) -> None:
    from corridor.paths.turns import route_restricted

    nodes, ways = crossroads()
    nodes[10] = (10.0 + 3 * STEP, STEP)
    ways[16] = ([7, 10, 8], {"highway": "tertiary"})  # a way round from north to east
    relations = {
        900: (
            [("w", 11, "from"), ("n", 5, "via"), ("w", 14, "to")],
            {"type": "restriction", "restriction": "no_left_turn"},
        )
    }
    net = read_osm(write(tmp_path, osm_xml(nodes, ways, relations)), options=FI)
    unrestricted = corridor.Network(net.nodes, net.links, net.crossings)
    free = corridor.route(unrestricted, 1, 7, modes="road", optimize="distance")
    assert free.node_ids == (1, 5, 7)
    turned = route_restricted(net, 1, 7, optimize="distance")
    assert turned.node_ids == (1, 5, 8, 7)
    assert corridor.route(net, 1, 7, modes="road", optimize="distance").node_ids == (1, 5, 8, 7)
    assert turned.length_km > free.length_km


def test_malformed_files_name_the_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.osm.pbf"
    text.write_text("this is not a protocol buffer\n" * 20)
    with pytest.raises(corridor.DataSourceError, match=r"notes\.osm\.pbf.*not a readable"):
        read_osm(text)
    with pytest.raises(corridor.DataSourceError, match="no such file"):
        read_osm(tmp_path / "missing.osm.pbf")
    empty = write(tmp_path, osm_xml(line_nodes([1, 2]), {}), "empty.osm")
    with pytest.raises(corridor.DataSourceError, match=r"empty\.osm.*no ways"):
        read_osm(empty)
    broken = write(
        tmp_path, osm_xml(line_nodes([1, 2]), {1: ([1, 2], {"highway": "primary"})})[:-40]
    )
    with pytest.raises(corridor.DataSourceError, match="not a readable"):
        read_osm(broken)
    with pytest.raises(corridor.ValidationError, match="unknown classes"):
        OsmOptions(classes=("highway",))
    with pytest.raises(corridor.ValidationError, match="bbox"):
        OsmOptions(bbox=(10.0, 0.0, 9.0, 1.0))


def test_truncated_pbf(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "osm" / "test.osm.pbf"
    if not source.exists():
        pytest.skip(reason=f"shared OSM sample not found at {source}")
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    with pytest.raises(corridor.DataSourceError, match=r"cut\.osm\.pbf.*not a readable"):
        read_osm(cut)


def test_progress_is_reported(tmp_path: Path) -> None:
    nodes, ways = crossroads()
    seen: list[str] = []
    read_osm(
        write(tmp_path, osm_xml(nodes, ways)), options=FI, progress=lambda p: seen.append(p.phase)
    )
    assert seen[0] == "ways"
    assert "nodes" in seen
    assert seen[-1] == "build"


@given(st.text(max_size=20), st.sampled_from(["", "RU", "FI", "XX"]))
def test_parse_maxspeed_never_fails(value: str, country: str) -> None:
    speed = parse_maxspeed(value, country)
    assert math.isnan(speed) or 0 < speed <= 400


@given(st.integers(1, 250), st.sampled_from(["", " mph", " knots", " km/h"]))
def test_parse_maxspeed_numbers(number: int, unit: str) -> None:
    factor = {"": 1.0, " mph": 1.609344, " knots": 1.852, " km/h": 1.0}[unit]
    got = parse_maxspeed(f"{number}{unit}")
    if number * factor > 400:  # beyond the schema's bound: treated as no value
        assert math.isnan(got)
    else:
        assert got == pytest.approx(number * factor)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_fuzzed_xml_gives_a_network_or_a_clear_error(tmp_path: Path, data: st.DataObject) -> None:
    nodes, ways = crossroads()
    text = osm_xml(nodes, ways).encode()
    cuts = data.draw(st.lists(st.integers(0, len(text) - 1), max_size=3))
    junk = data.draw(st.binary(max_size=8))
    mutated = bytearray(text)
    for c in sorted(cuts, reverse=True):
        mutated[c : c + 1] = junk
    path = tmp_path / "fuzz.osm"
    path.write_bytes(bytes(mutated))
    message = ""
    try:
        net = read_osm(path, options=FI)
    except corridor.DataSourceError as exc:
        message = str(exc)
    if message:
        assert "fuzz.osm" in message
    else:
        assert len(net.links) >= 1
