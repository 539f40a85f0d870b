"""Turn bans of the embedded network: a change of mode only at a terminal.

The ``turns`` table bans, at every node that is not a terminal, the turns road -> rail,
rail -> road, transfer -> rail and rail -> transfer. A change of mode is therefore road ->
city -> transfer -> terminal -> siding -> city -> rail, with the transfer (and its handling
cost) on the way; routers that honour turn restrictions enforce it. Airport access links
(transfer links of class ``airport``) are left out of the bans: a traveller walks from the
city's station to the airport train or bus, so rail -> airport access is a change a
traveller makes anywhere (no freight profile uses these links).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["BAN_PROVENANCE", "turn_bans"]

BAN_PROVENANCE = "mode change only at terminals (corridor embedded-network design)"


def turn_bans(links: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Ban road/transfer <-> rail turns at every node that is not a terminal."""
    ends = pd.concat(
        [
            links[["link_id", "mode"]].assign(node=links["a_node"]),
            links[["link_id", "mode"]].assign(node=links["b_node"]),
        ],
        ignore_index=True,
    )
    terminals = set(nodes.loc[nodes["kind"] == "terminal", "node_id"])
    ends = ends[~ends["node"].isin(terminals)]
    rail = ends[ends["mode"] == "rail"]
    access = set(links.loc[links["class"] == "airport", "link_id"])
    other = ends[ends["mode"].isin(["road", "transfer"]) & ~ends["link_id"].isin(access)]
    pairs = rail.merge(other, on="node", suffixes=("_rail", "_other"))
    one = pd.DataFrame(
        {
            "from_link": pairs["link_id_rail"],
            "via_node": pairs["node"],
            "to_link": pairs["link_id_other"],
        }
    )
    two = pd.DataFrame(
        {
            "from_link": pairs["link_id_other"],
            "via_node": pairs["node"],
            "to_link": pairs["link_id_rail"],
        }
    )
    turns = (
        pd.concat([one, two], ignore_index=True)
        .sort_values(["via_node", "from_link", "to_link"], kind="stable")
        .reset_index(drop=True)
    )
    turns.insert(0, "restriction_id", np.arange(1, len(turns) + 1, dtype=np.int64))
    turns.insert(1, "kind", "no")
    turns["via_links"] = ""
    turns["provenance"] = BAN_PROVENANCE
    return turns[
        [
            "restriction_id",
            "kind",
            "from_link",
            "via_node",
            "via_links",
            "to_link",
            "provenance",
        ]
    ]
