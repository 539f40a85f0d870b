"""Bad data that used to be silently accepted is refused, naming table, column and row."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor
from corridor.model.network import Network


def _toy_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    toy = corridor.examples.toy()
    return toy.nodes.copy(), toy.links.copy(), toy.crossings.copy()


def _turn(**over: object) -> dict[str, object]:
    toy = corridor.examples.toy()
    links = toy.links
    a = links.iloc[0]
    nxt = links[(links["a_node"] == a["b_node"]) & (links["b_node"] != a["a_node"])].iloc[0]
    row = {
        "restriction_id": 1,
        "kind": "no",
        "from_link": int(a["link_id"]),
        "via_node": int(a["b_node"]),
        "to_link": int(nxt["link_id"]),
    }
    row.update(over)
    return row


def test_month_13_is_not_a_date() -> None:
    nodes, links, crossings = _toy_tables()
    links["closed"] = links["closed"].astype(object)
    links.loc[1, "closed"] = "2023-13-01"
    with pytest.raises(corridor.SchemaError, match=r"links\.closed: data row\(s\) 2 are not dates"):
        Network(nodes, links, crossings)


def test_year_3000_is_out_of_range() -> None:
    nodes, links, crossings = _toy_tables()
    links["opened"] = links["opened"].astype(object)
    links.loc[0, "opened"] = "3000-01-01"
    with pytest.raises(corridor.SchemaError, match=r"links\.opened: .* outside 1800\.\.2200"):
        Network(nodes, links, crossings)


def test_valid_text_dates_and_empty_cells_still_read() -> None:
    nodes, links, crossings = _toy_tables()
    links["closed"] = [""] * (len(links) - 1) + ["2023-12-01"]
    net = Network(nodes, links, crossings)
    assert net.links["closed"].isna().sum() == len(links) - 1
    assert net.links["closed"].iloc[-1] == pd.Timestamp("2023-12-01")


def test_closed_date_read_from_a_file_is_checked(tmp_path: object) -> None:
    """The file readers no longer turn a bad date into NaT (an open link) before the check."""
    import pyarrow.parquet as pq

    folder = corridor.write_network(corridor.examples.toy(), tmp_path / "t.parquet")  # type: ignore[operator]
    table = pq.read_table(folder / "links.parquet").to_pandas()
    table["closed"] = ["2023-13-01"] + [None] * (len(table) - 1)
    table.to_parquet(folder / "links.parquet")
    with pytest.raises(corridor.SchemaError, match="not dates"):
        corridor.read_network(folder)


def test_dangling_via_node() -> None:
    nodes, links, crossings = _toy_tables()
    turns = pd.DataFrame([_turn(via_node=987654)])
    with pytest.raises(corridor.SchemaError, match=r"turns\.via_node: restrictions \[1\]"):
        Network(nodes, links, crossings, turns)


def test_duplicate_restriction_id() -> None:
    nodes, links, crossings = _toy_tables()
    turns = pd.DataFrame([_turn(), _turn()])
    with pytest.raises(corridor.SchemaError, match=r"turns\.restriction_id: \[1\] appear"):
        Network(nodes, links, crossings, turns)


def test_a_valid_turn_is_accepted() -> None:
    nodes, links, crossings = _toy_tables()
    net = Network(nodes, links, crossings, pd.DataFrame([_turn(), _turn(restriction_id=2)]))
    assert len(net.turns) == 2


@pytest.mark.parametrize("big", [1e19, 2**63, -1e19])
def test_node_ids_beyond_int64_do_not_wrap(big: float) -> None:
    nodes, links, crossings = _toy_tables()
    nodes["node_id"] = nodes["node_id"].astype(object)
    nodes.loc[0, "node_id"] = big
    with pytest.raises(corridor.SchemaError, match="64-bit"):
        Network(nodes, links, crossings)
