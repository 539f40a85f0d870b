"""The embedded Eurasian network: content, conventions and integrity checks."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import corridor
import corridor.data
from corridor.data.build import stable_id


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


def test_store_is_small_and_reads_back_equal(net: corridor.Network) -> None:
    again = corridor.data.read_store(corridor.data.EMBEDDED_DIR)
    assert again.content_hash == net.content_hash
    size = sum(p.stat().st_size for p in corridor.data.EMBEDDED_DIR.iterdir())
    assert size < 5 * 1024 * 1024


def test_sizes(net: corridor.Network) -> None:
    kinds = net.nodes["kind"].value_counts()
    assert kinds["city"] + kinds.get("junction", 0) > 400
    assert len(net.links) > 800
    assert kinds["border_crossing"] >= 30
    assert {"road", "rail", "transfer"} <= set(net.links["mode"])


def test_every_error_check_passes(net: corridor.Network) -> None:
    failed = [c for c in corridor.check_network(net) if not c.passed and c.severity == "error"]
    assert failed == []


def test_ids_are_crc32_of_recipe_keys(net: corridor.Network) -> None:
    keys = net.nodes["key"].tolist()
    ids = [zlib.crc32(k.encode()) & 0x7FFFFFFF for k in keys]
    assert ids == net.nodes["node_id"].tolist()
    assert stable_id("Moscow/RU") == zlib.crc32(b"Moscow/RU") & 0x7FFFFFFF


def test_crossing_links_belong_to_their_side(net: corridor.Network) -> None:
    nodes = net.nodes.set_index("node_id")
    crossings = nodes[nodes["kind"] == "border_crossing"]
    links = net.links
    for nid, row in crossings.iterrows():
        touching = links[(links["a_node"] == nid) | (links["b_node"] == nid)]
        other = np.where(touching["a_node"] == nid, touching["b_node"], touching["a_node"])
        assert (nodes.loc[other, "country"].to_numpy() == touching["country"].to_numpy()).all()
        assert set(touching["country"]) == {row["country_a"], row["country_b"]}, row["name"]


def test_crossing_table_has_both_directions_and_gauges(net: corridor.Network) -> None:
    cr = net.crossings
    per = cr.groupby(["node_id", "mode"])["direction"].apply(set)
    air = per.index.get_level_values("mode") == "air"
    assert all(d == {"a_to_b", "b_to_a"} for d in per[~air])
    # an airport's passport control is entered from the country left only
    assert air.any() and all(d == {"a_to_b"} for d in per[air])
    rail = cr[cr["mode"] == "rail"]
    assert rail["gauge_a_mm"].notna().all() and rail["gauge_b_mm"].notna().all()
    assert (cr["provenance"].str.len() > 10).all()
    assert (cr["delay_p10_h"] <= cr["delay_p50_h"]).all()
    assert (cr["delay_p50_h"] <= cr["delay_p90_h"]).all()
    names = net.nodes.set_index("node_id")["name"]
    zab = cr[(cr["node_id"].map(names) == "Zabaikalsk – Manzhouli") & (cr["mode"] == "rail")]
    assert set(zab["gauge_a_mm"]) == {1520.0} and set(zab["gauge_b_mm"]) == {1435.0}
    erenhot = cr[(cr["node_id"].map(names) == "Zamyn-Üüd – Erenhot") & (cr["mode"] == "rail")]
    by_dir = erenhot.set_index("direction")["delay_p50_h"]
    assert by_dir["a_to_b"] == pytest.approx(6.26) and by_dir["b_to_a"] == pytest.approx(44.4)


def test_gauge_breaks_only_at_crossings_terminals_ports(net: corridor.Network) -> None:
    rail = net.links[net.links["mode"] == "rail"]
    ends = pd.concat(
        [
            pd.DataFrame({"node": rail["a_node"], "gauge": rail["gauge_mm"]}),
            pd.DataFrame({"node": rail["b_node"], "gauge": rail["gauge_mm"]}),
        ]
    )
    per = ends.groupby("node")["gauge"].nunique()
    kinds = net.nodes.set_index("node_id").loc[per[per > 1].index, "kind"]
    assert set(kinds) <= {"border_crossing", "terminal", "port"}
    names = set(net.nodes.set_index("node_id").loc[per[per > 1].index, "name"])
    assert {"Małaszewicze", "Hekou North", "Gia Lâm"} <= names


def test_mode_change_banned_except_at_terminals(net: corridor.Network) -> None:
    links = net.links.set_index("link_id")
    turns = net.turns
    kinds = net.nodes.set_index("node_id")["kind"]
    assert (kinds.loc[turns["via_node"]] != "terminal").all()
    modes_from = links.loc[turns["from_link"], "mode"]
    pair = set(zip(modes_from, links.loc[turns["to_link"], "mode"], strict=True))
    assert pair <= {("rail", "road"), ("road", "rail"), ("rail", "transfer"), ("transfer", "rail")}
    # a shared city node: every road/rail pair there is banned, both ways
    moscow = int(net.nodes.loc[net.nodes["key"] == "Moscow/RU", "node_id"].iloc[0])
    at = net.links[(net.links["a_node"] == moscow) | (net.links["b_node"] == moscow)]
    n_rail = int((at["mode"] == "rail").sum())
    # airport access links (transfer, class airport) are exempt: rail -> airport is a
    # traveller's change anywhere
    n_other = int((at["mode"].isin(["road", "transfer"]) & (at["class"] != "airport")).sum())
    assert int((turns["via_node"] == moscow).sum()) == 2 * n_rail * n_other
    # transfer links only touch terminals and never cross a border
    countries = net.nodes.set_index("node_id")["country"]
    tr_all = net.links[net.links["mode"] == "transfer"]
    assert (
        countries.loc[tr_all["a_node"]].to_numpy() == countries.loc[tr_all["b_node"]].to_numpy()
    ).all()
    # transfer links only touch terminals, or join an airport to its city
    tr = net.links[net.links["mode"] == "transfer"]
    airport = (kinds.loc[tr["b_node"]].to_numpy() == "airport") & (tr["class"] == "airport")
    assert (kinds.loc[tr.loc[airport.to_numpy(), "a_node"]].to_numpy() == "city").all()
    tr = tr[~airport.to_numpy()]
    assert (
        (kinds.loc[tr["a_node"]].to_numpy() == "terminal")
        | (kinds.loc[tr["b_node"]].to_numpy() == "terminal")
    ).all()


def test_dated_links_give_before_and_after(net: corridor.Network) -> None:
    def m12(when: str) -> pd.DataFrame:
        links = net.as_of(when).links
        return links[links["ref"] == "M-12"]

    assert m12("2023-01-01").empty
    assert m12("2024-01-01")["length_km"].sum() == pytest.approx(811.0, abs=0.5)
    assert m12("2025-08-01")["length_km"].sum() == pytest.approx(811.0 + 275.3, abs=0.5)
    r351 = net.links[net.links["ref"] == "R-351"]
    before = net.as_of("2026-06-01").links
    after = net.as_of("2027-01-01").links
    assert set(before.loc[before["ref"] == "R-351", "lanes"]) == {2}
    assert 4 in set(after.loc[after["ref"] == "R-351", "lanes"])
    assert len(r351) > len(before[before["ref"] == "R-351"])
    tongjiang = net.links[net.links["route_id"] == "tongjiang-bridge"]
    assert set(tongjiang["gauge_mm"]) == {1435.0, 1520.0}
    assert (tongjiang["opened"] == pd.Timestamp("2022-11-18")).all()


def test_tolls_and_published_lengths(net: corridor.Network) -> None:
    m12 = net.links[net.links["route_id"] == "m12-moscow-kazan"]
    assert m12["toll_usd"].sum() == pytest.approx(3912 * 0.011, abs=0.1)
    assert m12["toll_car_usd"].sum() == pytest.approx(4481 * 0.011, abs=0.1)
    assert m12["provenance"].str.contains("published (?:415.5|395.5) km").all()  # 811 km
    assert m12["length_km"].sum() == pytest.approx(811.0, abs=0.5)
    laos = net.links[net.links["route_id"] == "china-laos"]
    assert laos["length_km"].sum() == pytest.approx(1035.0, abs=0.1)
    assert (laos["gauge_mm"] == 1435).all()
    other = net.links[~net.links["provenance"].str.contains("published")]
    flying = (other["mode"] == "air") | (other["class"] == "airport")
    assert other.loc[~flying, "provenance"].str.contains("geodesic|siding|transfer").all()
    flights = net.links[net.links["class"] == "flight"]
    assert flights["provenance"].str.contains("great-circle").all()


def test_homonym_traps_resolved(net: corridor.Network) -> None:
    nodes = net.nodes.set_index("key")
    assert nodes.loc["Hekou/CN", "lat"] == pytest.approx(22.517, abs=0.01)
    assert nodes.loc["Pingxiang/CN", "lat"] == pytest.approx(22.117, abs=0.01)
    assert nodes.loc["Jining/CN", "lat"] == pytest.approx(41.0, abs=0.05)
    assert nodes.loc["Rostov/RU", "lat"] > 57.0  # Rostov Veliky, not Rostov-on-Don
    assert nodes.loc["Aktogay/KZ", "lon"] == pytest.approx(79.68, abs=0.05)
    assert nodes.loc["Brest/BY", "country"] == "BY"


def test_check_detects_broken_network(net: corridor.Network) -> None:
    links = net.links
    gap = links.index[links["route_id"] == "transsib"][10]
    cut = links.drop(index=gap).reset_index(drop=True)
    turns = net.turns[
        net.turns["from_link"].isin(cut["link_id"]) & net.turns["to_link"].isin(cut["link_id"])
    ]
    broken = corridor.Network(net.nodes, cut, net.crossings, turns, name="broken")
    failed = {c.name for c in corridor.check_network(broken) if not c.passed}
    assert "route Trans-Siberian continuous" in failed
    fast = links.copy()
    fast.loc[fast["class"] == "trunk", "speed_kmh"] = 140.0
    failed = {c.name for c in corridor.check_network(net.with_links(fast)) if not c.passed}
    assert "speeds within class bounds" in failed


def _recipe_with(tmp_path: Path, old: str, new: str) -> corridor.data.build.Recipe:
    folder = tmp_path / "recipe"
    folder.mkdir()
    for f in corridor.data.RECIPE_DIR.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    text = (folder / "routes.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "routes.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return corridor.data.read_recipe(folder)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Kazan/RU@811]", "Kazan/RU@500]", "shorter than the geodesic"),
        (
            "class: motorway\n  corridors: [M-12, WE-WC]",
            "class: trunk\n  speed_kmh: 150\n  corridors: [M-12, WE-WC]",
            "outside trunk bounds",
        ),
        ("Kostanay/KZ]\n", "X:troitsk-kairak]\n", "two crossings"),
        (
            "Krasnyy/RU, X:krasnoye-redki, Orsha/BY",
            "Krasnyy/RU, Orsha/BY",
            "crosses a border without a crossing node",
        ),
    ],
)
def test_builder_rejects_bad_recipe(tmp_path: Path, old: str, new: str, message: str) -> None:
    recipe = _recipe_with(tmp_path, old, new)
    with pytest.raises(corridor.ValidationError, match=message):
        corridor.data.build_network(recipe)


def test_turn_aware_routes_change_mode_only_at_terminals(net: corridor.Network) -> None:
    from corridor.paths.turns import route_restricted

    kinds = net.nodes.set_index("node_id")["kind"]
    links = net.links.set_index("link_id")
    # Achit has only roads, Sharya only the Trans-Siberian: the route must change mode
    r = route_restricted(net, "Achit", "Sharya", modes="any")
    modes = links.loc[list(r.link_ids), "mode"].tolist()
    assert "road" in modes and "rail" in modes and "transfer" in modes
    for i in range(1, len(modes)):
        pair = {modes[i - 1], modes[i]}
        if "rail" in pair and len(pair) == 2:
            assert kinds[r.node_ids[i]] == "terminal", (modes[i - 1], modes[i])
