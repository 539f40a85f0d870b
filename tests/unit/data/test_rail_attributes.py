"""Rail attributes of the embedded network: traction and speeds per route and section."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest

import corridor
from corridor.data.draft import Draft
from corridor.data.routes import RAIL_ATTRIBUTES, _rail_attributes


@pytest.fixture(scope="module")
def links() -> Any:
    return corridor.eurasia().links


def _route(links: Any, rid: str) -> Any:
    return links[links["route_id"] == rid]


def test_sections_override_the_route(links: Any) -> None:
    """Aktobe - Arys is diesel, Arys - Shymkent - Taraz - Shu - Almaty electric (wired by
    1998, Railway Gazette); the Kazakh sections of the South Siberian line take the
    Kazakh freight speed, the Russian ones the Russian."""
    nodes = corridor.eurasia().nodes.set_index("node_id")["name"]
    aral = _route(links, "kz-trans-aral")
    electric = {nodes[a] for a in aral.loc[aral["electrified"], "a_node"]}
    diesel = {nodes[a] for a in aral.loc[~aral["electrified"], "a_node"]}
    assert {"Arys", "Shymkent", "Taraz", "Shu", "Otar"} <= electric
    assert {"Aktobe", "Kyzylorda", "Turkestan"} <= diesel
    south = _route(links, "south-siberian-west")
    by_country = south.groupby("country")["freight_km_per_day"].unique()
    assert list(by_country["RU"]) == [1058.0] and list(by_country["KZ"]) == [1390.0]


def test_rail_attributes_only_on_rail_and_sourced(links: Any) -> None:
    road = links[links["mode"] != "rail"]
    for col in RAIL_ATTRIBUTES:
        assert road[col].isna().all()
    rail = links[(links["mode"] == "rail") & (links["route_id"] != "terminal")]
    has = rail[list(RAIL_ATTRIBUTES)].notna().any(axis=1)
    assert rail.loc[has, "provenance"].str.contains("; rail: ").all()
    # every line in the countries with published commercial speeds has one, except two
    # short links (the metre-gauge Hekou spur, the Tongjiang bridge)
    sourced = rail["country"].isin(["RU", "KZ", "MN", "CN"])
    missing = rail.loc[sourced & rail["freight_km_per_day"].isna(), "route_id"]
    assert set(missing) <= {"hekou-metre", "tongjiang-bridge"}
    fast = rail["passenger_fast_kmh"].notna()
    assert (rail.loc[fast, "passenger_fast_kmh"] > rail.loc[fast, "passenger_kmh"]).all()


def test_published_traction(links: Any) -> None:
    def electric(rid: str) -> Any:
        return _route(links, rid)["electrified"]

    assert electric("transsib").all()  # fully wired since Dec 2002
    assert electric("zabaikalsk-branch").all()  # Karymskaya - Zabaikalsk
    for diesel in ("transmongolian-mn", "transmongolian-ru", "jier", "turksib"):
        assert not electric(diesel).any(), diesel
    vietnam = (links["mode"] == "rail") & (links["country"] == "VN")
    assert not links.loc[vietnam, "electrified"].any()


def _draft() -> Draft:
    return cast(Draft, SimpleNamespace(problems=[]))


def test_bad_sections_and_speeds_are_reported() -> None:
    keys = ["A/XX", "B/XX", "C/XX"]
    draft = _draft()
    route = {
        "id": "r",
        "passenger_kmh": 500,
        "sections": [
            {"from": "C/XX", "to": "A/XX", "electrified": True, "source": "s"},
            {"from": "A/XX", "to": "B/XX", "freight_km_per_day": 900},
        ],
    }
    out = _rail_attributes(draft, route, keys)
    text = " | ".join(draft.problems)
    assert "must name two of the route's places in order" in text
    assert "has no source" in text
    assert "passenger_kmh 500 outside" in text
    assert out[0]["freight_km_per_day"] == 900 and "freight_km_per_day" not in out[1]
    assert np.isclose(out[1]["passenger_kmh"], 500)


@pytest.mark.parametrize(
    ("origin", "destination", "published_km"),
    [
        # timetable distances at Kanash station (Yandex.Timetables, via ru.wikipedia):
        # Arzamas II 255 km, Kazan 128 km, Yekaterinburg 982 km
        ("Arzamas", "Kanash", 255.0),
        ("Kanash", "Kazan", 128.0),
        ("Kazan", "Yekaterinburg", 854.0),
    ],
)
def test_kazan_line_at_timetable_distances(
    links: Any, origin: str, destination: str, published_km: float
) -> None:
    """The Moscow-Kazan-Yekaterinburg line carries the timetable's distances (Kazan -
    Yekaterinburg 854 km via Agryz and Druzhinino), not geodesic x circuity (789 km)."""
    import networkx as nx

    nodes = corridor.eurasia().nodes.set_index("node_id")["name"]
    line = _route(links, "moscow-kazan-yekaterinburg")
    graph = nx.Graph()
    for a, b, km in zip(line["a_node"], line["b_node"], line["length_km"], strict=True):
        graph.add_edge(nodes[a], nodes[b], km=float(km))
    km = nx.shortest_path_length(graph, origin, destination, weight="km")
    assert km == pytest.approx(published_km, abs=0.5)
