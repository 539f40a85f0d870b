"""The comparison report: its changed-links table is link_changes(), in the same words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.analysis.link_changes import link_changes
from corridor.report.compare_report import write_compare_report


def test_report_lists_the_link_changes(toy: corridor.Network, tmp_path: Path) -> None:
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    links.loc[links["link_id"] == 30, "closed"] = pd.Timestamp("2026-01-01")
    links.loc[links["link_id"] == 12, "toll_usd"] = 4.0
    after = toy.with_links(links)
    c = compare(
        toy, after, options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None)
    )
    page = write_compare_report(c, toy, after, tmp_path / "rep")
    table = pd.read_csv(page.parent / "changed_links.csv")
    expected = link_changes(toy, after)
    assert table["link_id"].tolist() == expected["link_id"].tolist() == [30, 11, 12]
    assert table["change"].tolist() == ["closed", "faster", "toll_changed"]
    assert pd.read_parquet(page.parent / "changed_links.parquet")["change"].tolist() == [
        "closed",
        "faster",
        "toll_changed",
    ]
    html = page.read_text()
    assert "toll changed" in html and "reopened" in html  # the legend has every kind
    assert html.count('class="link" data-link="11"') == 3  # before, after, difference maps
