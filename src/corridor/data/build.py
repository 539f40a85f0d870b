"""Build the embedded Eurasian corridor network from its recipe.

The recipe (:mod:`corridor.data.recipe`) lists places, border crossings and routes; the
build adds, in order, the place and crossing nodes (:mod:`corridor.data.places`), a link
per route section (:mod:`corridor.data.routes`), the terminals where road and rail meet
(:mod:`corridor.data.terminals`) and the turn bans that keep mode changes to terminals
(:mod:`corridor.data.turn_bans`), collecting every problem in the recipe on the way.

Design
------
*Nodes.* A city is one node shared by its road and rail links (the city's station is the
city node). A border crossing is one node on the border; the links on side a belong to
``country_a``. Node ids are ``crc32(key) & 0x7fffffff`` of the recipe key, link ids the same
of ``route|a|b|gauge``, so ids are stable when the recipe grows.

*Changing mode only at a terminal.* A terminal node (kind ``terminal``) sits beside each
main city (population >= 300,000 served by road and rail), beside every gauge-break border
town and at the line terminals named in ``places.csv`` (Malaszewicze, Hekou North, Tongjiang
North, Gia Lam). It is joined to the road network by a ``transfer`` link (class
``terminal``, 0 km when it shares the city's point) and to the rail network by a short rail
``siding`` link. The ``turns`` table bans, at every node that is not a terminal, the turns
road -> rail, rail -> road, transfer -> rail and rail -> transfer. A change of mode is
therefore road -> city -> transfer -> terminal -> siding -> city -> rail, with the transfer
(and its handling cost) on the way; routers that honour turn restrictions enforce it.

*Air* (``air.yaml``, :mod:`corridor.data.air`): airports joined to their cities by
``transfer`` links of class ``airport``, and per directed flight a ``boarding`` link to a
gate node and a ``flight`` link with the block time; international flights end at the
arrival airport's passport control, a ``border_crossing`` node per (airport, country left)
with an ``air`` crossings row, so that entry formalities apply there.

*Border formalities* (``formalities.yaml``, :mod:`corridor.data.formalities`) become one
row per crossing node, mode, direction and vehicle: whether it may cross, whether it may
transit the country entered, barred origins, visa, documents, time and fee.

*Gauge breaks* happen only at border crossings, terminals and ports: every other node has
rail links of one gauge (checked). Dual-gauge sections are two parallel links, one per
gauge, between a crossing and a terminal, so the gauge cannot change in between.

*Lengths.* A route may anchor published cumulative distances at places (``Place@KM``); the
sections between two anchors share the published distance in proportion to their geodesic
length. Other sections are geodesic length x a circuity factor by mode and terrain. The
``provenance`` of each link says which.
"""

from __future__ import annotations

import logging

import pandas as pd

from corridor.data.air import add_air
from corridor.data.draft import Draft
from corridor.data.formalities import formality_rows
from corridor.data.outlines import build_outlines
from corridor.data.places import add_crossings, add_places
from corridor.data.recipe import RECIPE_DIR, Recipe, read_recipe, stable_id
from corridor.data.routes import add_routes
from corridor.data.terminals import add_terminals
from corridor.data.turn_bans import turn_bans
from corridor.model.network import Network

__all__ = [
    "RECIPE_DIR",
    "Recipe",
    "build_network",
    "build_outlines",
    "read_recipe",
    "stable_id",
]

log = logging.getLogger(__name__)


def build_network(recipe: Recipe | None = None) -> Network:
    """Build the embedded Eurasian network from `recipe` (default: the packaged recipe).

    Returns
    -------
    Network
        Named ``"eurasia"``; nodes carry the extra columns ``geonameid`` and ``key`` (the
        recipe key), links ``route_id`` and ``toll_car_usd`` (the car toll; ``toll_usd`` is
        the truck toll).

    Raises
    ------
    ValidationError
        Listing every problem found in the recipe (unknown places, bad anchors, links that
        cross a border without a crossing node, speeds outside their class bounds, ...).
    """
    import shapely

    from corridor.errors import ValidationError

    rec = recipe if recipe is not None else read_recipe()
    draft = Draft(rec)
    add_places(draft)
    add_crossings(draft)
    add_routes(draft)
    add_terminals(draft)
    add_air(draft)
    if draft.problems:
        shown = "; ".join(draft.problems[:10])
        more = f" (and {len(draft.problems) - 10} more)" if len(draft.problems) > 10 else ""
        raise ValidationError(
            f"recipe in {rec.folder} has {len(draft.problems)} problem(s): {shown}{more}"
        )
    used = {link["a_node"] for link in draft.links} | {link["b_node"] for link in draft.links}
    nodes = pd.DataFrame([n for n in draft.nodes.values() if n["node_id"] in used])
    nodes = nodes.sort_values("node_id", kind="stable").reset_index(drop=True)
    links = pd.DataFrame(draft.links)
    links["geometry"] = pd.Series([shapely.LineString(g) for g in links["geometry"]], dtype=object)
    links = links.sort_values("link_id", kind="stable").reset_index(drop=True)
    dup = links["link_id"].duplicated()
    if dup.any():
        raise ValidationError(f"link id collision: {links.loc[dup, 'route_id'].tolist()[:5]}")
    crossings = pd.DataFrame(draft.crossing_rows)
    crossings = crossings.sort_values(["node_id", "mode", "direction"], kind="stable")
    turns = turn_bans(links, nodes)
    problems: list[str] = []
    formalities = formality_rows(rec.formalities, nodes, crossings, problems)
    if problems:
        raise ValidationError(f"recipe in {rec.folder}: {'; '.join(problems[:10])}")
    log.info(
        "built eurasia: %d nodes, %d links, %d crossing rows, %d turn bans, %d formalities",
        len(nodes),
        len(links),
        len(crossings),
        len(turns),
        len(formalities),
    )
    return Network(
        nodes, links, crossings.reset_index(drop=True), turns, formalities, name="eurasia"
    )
