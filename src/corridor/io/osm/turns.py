"""Turn restrictions: OSM ``type=restriction`` relations -> rows of ``network.turns``.

``restriction=no_*`` / ``only_*`` with a via node or via way(s) are kept
(``restriction:<vehicle>`` and ``except`` are ignored). A relation whose from/to ways do
not end at the via, or whose members were not imported, is skipped and counted.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import IntArray

from .stream import Ways

__all__ = ["restriction_members", "turn_table"]

log = logging.getLogger(__name__)


def restriction_members(ways: Ways) -> tuple[IntArray, IntArray]:
    nodes: list[int] = []
    way_list: list[int] = []
    for _rid, _value, frm, via_n, via_w, to in ways.restrictions:
        nodes.extend(via_n)
        way_list.extend(via_w)
        way_list.extend(frm)
        way_list.extend(to)
    return np.asarray(nodes, dtype=np.int64), np.asarray(way_list, dtype=np.int64)


def turn_table(
    ways: Ways,
    node_ids: IntArray,
    links: pd.DataFrame,
    seg_link: IntArray,
    seg_way: IntArray,
    seg_a: IntArray,
    seg_b: IntArray,
    way_ids: IntArray,
) -> pd.DataFrame:
    """Translate restriction relations to (from_link, via_node, via_links, to_link) rows."""
    columns = ["restriction_id", "kind", "from_link", "via_node", "via_links", "to_link"]
    if not ways.restrictions:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in [*columns, "provenance"]})
    link_a = links["a_node"].to_numpy()
    link_b = links["b_node"].to_numpy()
    oneway = links["oneway"].to_numpy()
    # links of each OSM way, and the nodes where they end
    frame = pd.DataFrame({"way": way_ids[seg_way], "link": seg_link}).drop_duplicates()
    links_of_way: dict[int, list[int]] = {
        int(w): [int(x) for x in g]
        for w, g in zip(
            frame["way"].drop_duplicates(),
            frame.groupby("way", sort=False)["link"].agg(list),
            strict=True,
        )
    }

    def ending_at(way: int, node: int, *, leaving: bool) -> list[int]:
        out = []
        for lk in links_of_way.get(way, []):
            a, b = int(link_a[lk]), int(link_b[lk])
            start, end = (a, b) if leaving else (b, a)
            if start == node or (end == node and not oneway[lk]):
                out.append(lk)
        return out

    rows: list[tuple[Any, ...]] = []
    skipped = 0
    for rel_id, value, frm, via_n, via_w, to in ways.restrictions:
        kind = "only" if value.startswith("only_") else "no"
        if len(via_n) == 1 and not via_w:
            via: int = via_n[0]
            made = 0
            for f in frm:
                fl = ending_at(f, via, leaving=False)
                for t in to:
                    tl = ending_at(t, via, leaving=True)
                    if len(fl) == 1 and len(tl) == 1:
                        rows.append((kind, fl[0], via, "", tl[0], rel_id))
                        made += 1
            skipped += made == 0
        elif via_w and not via_n and len(frm) == 1 and len(to) == 1:
            path = _via_path(frm[0], via_w, to[0], links_of_way, link_a, link_b, oneway)
            if path is None:
                skipped += 1
                continue
            rows.append((kind, path[0], path[1], ";".join(map(str, path[2])), path[3], rel_id))
        else:
            skipped += 1
    if skipped:
        log.info("skipped %d turn restriction(s) not matching the imported ways", skipped)
    out = pd.DataFrame(
        rows, columns=["kind", "from_link", "via_node", "via_links", "to_link", "rel"]
    )
    return pd.DataFrame(
        {
            "restriction_id": np.arange(len(out), dtype=np.int64),
            "kind": out["kind"].astype(str),
            "from_link": out["from_link"].astype(np.int64),
            "via_node": out["via_node"].astype(np.int64),
            "via_links": out["via_links"].astype(str),
            "to_link": out["to_link"].astype(np.int64),
            "provenance": "osm relation " + out["rel"].astype(str),
        }
    )


def _via_path(
    frm: int,
    via_ways: list[int],
    to: int,
    links_of_way: dict[int, list[int]],
    link_a: np.ndarray,
    link_b: np.ndarray,
    oneway: np.ndarray,
) -> tuple[int, int, list[int], int] | None:
    """(from_link, first via node, via links in order, to_link) for a via-way restriction."""
    via_links = [lk for w in via_ways for lk in links_of_way.get(w, [])]
    if not via_links:
        return None
    ends: dict[int, list[int]] = {}
    for lk in via_links:
        ends.setdefault(int(link_a[lk]), []).append(lk)
        ends.setdefault(int(link_b[lk]), []).append(lk)
    for fl in links_of_way.get(frm, []):
        for start in (int(link_a[fl]), int(link_b[fl])):
            if start == int(link_a[fl]) and oneway[fl]:
                continue  # a one-way from_link arrives at its b end
            if start not in ends:
                continue
            order: list[int] = []
            node = start
            used: set[int] = set()
            while True:
                nxt = [lk for lk in ends.get(node, []) if lk not in used]
                if len(nxt) != 1:
                    break
                lk = nxt[0]
                used.add(lk)
                order.append(lk)
                node = int(link_b[lk]) if int(link_a[lk]) == node else int(link_a[lk])
            if len(order) != len(via_links):
                continue
            for tl in links_of_way.get(to, []):
                if int(link_a[tl]) == node or (int(link_b[tl]) == node and not oneway[tl]):
                    return fl, start, order, tl
    return None
