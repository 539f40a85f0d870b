"""The Router owns what is derived from a network; networks are values; searches run
concurrently; one date rule decides which links exist."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.model.network import links_open_on
from corridor.paths.router import Router


def test_network_tables_cannot_be_changed_behind_a_graph(toy: corridor.Network) -> None:
    before = corridor.route(toy, "A", "D", modes="road")
    links = toy.links
    links["speed_kmh"] = 10.0  # a copy: the network is untouched
    assert (toy.links["speed_kmh"] != 10.0).all()
    with pytest.raises((ValueError, TypeError)):
        toy.links["speed_kmh"].to_numpy()[0] = 1.0  # read-only values
    with pytest.raises(AttributeError, match="immutable"):
        toy.name = "other"  # type: ignore[misc]
    after = corridor.route(toy, "A", "D", modes="road")
    assert after.to_dict() == before.to_dict()
    assert after.cost == pytest.approx(after.time_h)  # searched cost agrees with the table


def test_an_edited_network_gets_its_own_graphs(toy: corridor.Network) -> None:
    base = corridor.route(toy, "A", "D", modes="road")
    links = toy.links
    links["speed_kmh"] = links["speed_kmh"] / 2
    slow = toy.with_links(links)
    assert slow.content_hash != toy.content_hash
    assert corridor.route(slow, "A", "D", modes="road").time_h == pytest.approx(2 * base.time_h)
    assert corridor.router_for(slow) is not corridor.router_for(toy)
    assert corridor.router_for(toy.with_links(toy.links)) is corridor.router_for(toy)


def test_date_rule_by_hand() -> None:
    t = pd.DataFrame(
        {
            "opened": pd.to_datetime(["2020-01-01", None, "2030-01-01", None]),
            "closed": pd.to_datetime([None, "2026-11-30", None, "2025-01-01"]),
        }
    )
    assert links_open_on(t, pd.Timestamp("2025-01-01")).tolist() == [True, True, False, False]
    assert links_open_on(t, pd.Timestamp("2026-11-30")).tolist() == [True, False, False, False]
    assert links_open_on(t, None).tolist() == [True, False, True, False]


def test_a_link_closing_later_is_open_on_an_earlier_date(toy: corridor.Network) -> None:
    links = toy.links
    road = links["mode"] == "road"
    links.loc[road, "closed"] = pd.Timestamp("2030-01-01")
    net = toy.with_links(links)
    with pytest.raises(corridor.NoPathError):
        corridor.route(net, "A", "D", modes="road")  # undated: a closed date means closed
    dated = net.as_of("2025-01-01")
    assert dated.date == pd.Timestamp("2025-01-01")
    r = corridor.route(dated, "A", "D", modes="road")
    assert r.to_dict() == corridor.route(toy, "A", "D", modes="road").to_dict()
    assert corridor.skim(dated, ["A"], ["D"], modes="road")["time_h"][0, 0] == pytest.approx(
        r.time_h
    )
    with pytest.raises(corridor.NoPathError):
        corridor.route(net.as_of("2030-01-01"), "A", "D", modes="road")


def test_bad_dates_are_validation_errors(toy: corridor.Network) -> None:
    for bad in ("", "2023-13-01", "soon", "3000-01-01"):
        with pytest.raises(corridor.ValidationError):
            toy.as_of(bad)


def test_router_keeps_a_bounded_store() -> None:
    router = Router(corridor.examples.toy(), max_kept=3)
    for modes in ("road", "rail", "any", ["road", "rail"]):
        router.graph(modes, "time_h")
    assert len(router._kept) == 3


def test_searches_from_four_threads_equal_serial() -> None:
    net = corridor.eurasia()
    pairs = [
        ("Moscow", "Kazan"),
        ("Chongqing", "Duisburg"),
        ("Novosibirsk", "Harbin"),
        ("Almaty", "Urumqi"),
        ("Yekaterinburg", "Tyumen"),
        ("Kunming", "Vientiane"),
        ("Brest, BY", "Moscow"),
        ("Irkutsk", "Ulaanbaatar"),
    ]
    jobs = [(o, d, p) for o, d in pairs for p in ("truck40", "container40", None)]

    def one(job: tuple[str, str, str | None]) -> tuple[float, tuple[int, ...]]:
        o, d, p = job
        try:
            r = corridor.route(net, o, d, profile=p)
        except corridor.NoPathError:
            return (np.inf, ())
        return (r.time_h, r.link_ids)

    serial = [one(j) for j in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            assert list(pool.map(one, jobs)) == serial
