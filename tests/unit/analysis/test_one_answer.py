"""One question, one route: corridor.route, the first alternative and the path behind a
comparison cell agree for every profile on 20 origin-destination pairs of the embedded
network."""

from __future__ import annotations

import pytest

import corridor
from corridor.analysis.pairs import pair_paths
from corridor.paths.router import router_for

PLACES = [
    "Moscow",
    "Kazan",
    "Yekaterinburg",
    "Tyumen",
    "Novosibirsk",
    "Harbin",
    "Chongqing",
    "Duisburg",
    "Almaty",
    "Urumqi",
    "Vladivostok",
    "Ulaanbaatar",
    "Beijing",
    "Kunming",
    "Vientiane",
    "Irkutsk",
    "Chelyabinsk",
    "Minsk",
    "Astana",
    "Khabarovsk",
]
PAIRS = [(PLACES[i], PLACES[(7 * i + 3) % len(PLACES)]) for i in range(len(PLACES))]


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.mark.parametrize("profile", corridor.list_profiles())
def test_route_first_alternative_and_comparison_cell_agree(
    net: corridor.Network, profile: str
) -> None:
    router = router_for(net)
    ids = [router.resolve(p, "place") for p in PLACES]
    optimize = "generalized"
    import numpy as np

    pp = pair_paths(net, profile, np.asarray(ids, dtype=np.int64), optimize)
    cg = router.cost_graph(profile)
    checked = 0
    for o, d in PAIRS:
        try:
            r = corridor.route(net, o, d, profile=profile, optimize=optimize)
        except corridor.NoPathError:
            with pytest.raises(corridor.NoPathError):
                corridor.alternatives(net, o, d, profile=profile, k=1, optimize=optimize)
            assert pp.slots[PLACES.index(o)][PLACES.index(d)] is None
            continue
        first = corridor.alternatives(net, o, d, profile=profile, k=1, optimize=optimize)[0]
        assert first.to_dict() == r.to_dict(), (o, d)
        slots = pp.slots[PLACES.index(o)][PLACES.index(d)]
        assert slots is not None, (o, d)
        cell = router.profile_route(cg, slots, optimize=optimize, cost=r.cost)
        assert cell.link_ids == r.link_ids, (o, d)
        assert cell.time_h == pytest.approx(r.time_h) and cell.cost_usd == pytest.approx(r.cost_usd)
        checked += 1
    assert checked >= 5
