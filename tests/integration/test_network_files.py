"""Network files: lossless round trips, and a clear error for each kind of malformed file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import corridor
from corridor.model.schema import LINK_COLUMNS, NODE_COLUMNS, Column, Kind


def _to_storage(frame: pd.DataFrame, cols: tuple[Column, ...]) -> pd.DataFrame:
    """Dates as ISO text, as version-1 files and hand-made ones store them."""
    out = frame.copy()
    for c in cols:
        if c.kind is Kind.DATE and c.name in out:
            out[c.name] = out[c.name].dt.strftime("%Y-%m-%d").fillna("")
    return out


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet"])
def test_round_trip_is_lossless(tmp_path: Path, toy: corridor.Network, suffix: str) -> None:
    links = toy.links.copy()
    links["geometry"] = [shapely.LineString([(0, 0), (0.5, 0.1), (1, 0)])] + [None] * 5
    links["opened"] = pd.to_datetime(["2023-12-21", None, None, "2021-12-03", None, None])
    links["corridors"] = ["M-12;WE-WC", "", "", "", "", ""]
    net = corridor.Network(toy.nodes, links, toy.crossings, name="trip")
    path = corridor.write_network(net, tmp_path / f"net{suffix}")
    back = corridor.read_network(path)
    assert back.name == "trip"
    for table in ("nodes", "crossings", "turns"):
        pd.testing.assert_frame_equal(getattr(net, table), getattr(back, table))
    pd.testing.assert_frame_equal(
        net.links.drop(columns="geometry"), back.links.drop(columns="geometry")
    )
    assert back.links["geometry"].iloc[0].equals(links["geometry"].iloc[0])
    assert back.links["geometry"].iloc[1:].isna().all()
    assert back.content_hash == net.content_hash


def test_overwrite_keeps_no_temporary_files(tmp_path: Path, toy: corridor.Network) -> None:
    for _ in range(2):
        corridor.write_network(toy, tmp_path / "net.parquet")
        corridor.write_network(toy, tmp_path / "net.gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.gpkg", "net.parquet"]


def _write_raw_gpkg(path: Path, nodes: pd.DataFrame, links: pd.DataFrame) -> Path:
    """Write tables as GPKG layers without any validation (to make bad files)."""
    nodes = _to_storage(nodes, NODE_COLUMNS)
    gn = gpd.GeoDataFrame(
        nodes, geometry=gpd.points_from_xy(nodes["lon"], nodes["lat"]), crs="EPSG:4326"
    )
    gn.to_file(path, layer="nodes", driver="GPKG")
    links = _to_storage(links, LINK_COLUMNS)
    geoms = links.pop("geometry") if "geometry" in links else None
    gl = gpd.GeoDataFrame(links, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))
    gl.to_file(path, layer="links", driver="GPKG")
    return path


def _bad(tmp_path: Path, toy: corridor.Network, edit_nodes=None, edit_links=None) -> str:
    nodes, links = toy.nodes.copy(), toy.links.copy()
    nodes = edit_nodes(nodes) if edit_nodes else nodes
    links = edit_links(links) if edit_links else links
    path = _write_raw_gpkg(tmp_path / "bad.gpkg", nodes, links)
    with pytest.raises(corridor.SchemaError) as err:
        corridor.read_network(path)
    text = str(err.value)
    assert str(path) in text  # names the file
    return text


def test_missing_column(tmp_path: Path, toy: corridor.Network) -> None:
    text = _bad(tmp_path, toy, edit_links=lambda t: t.drop(columns="speed_kmh"))
    assert "links.speed_kmh" in text and "missing" in text


def test_wrong_dtype(tmp_path: Path, toy: corridor.Network) -> None:
    def edit(t: pd.DataFrame) -> pd.DataFrame:
        t = t.astype({"length_km": object})
        t.loc[2, "length_km"] = "far"
        return t

    text = _bad(tmp_path, toy, edit_links=edit)
    assert "links.length_km" in text and "float64" in text


def test_link_to_missing_node(tmp_path: Path, toy: corridor.Network) -> None:
    def edit(t: pd.DataFrame) -> pd.DataFrame:
        t.loc[1, "b_node"] = 99
        return t

    text = _bad(tmp_path, toy, edit_links=edit)
    assert "links.b_node" in text and "data row(s) 2" in text and "99" in text


@pytest.mark.parametrize("value", [-5.0, np.nan])
def test_negative_or_nan_length(tmp_path: Path, toy: corridor.Network, value: float) -> None:
    def edit(t: pd.DataFrame) -> pd.DataFrame:
        t.loc[3, "length_km"] = value
        return t

    text = _bad(tmp_path, toy, edit_links=edit)
    assert "links.length_km" in text and "data row(s) 4" in text


def test_duplicate_ids(tmp_path: Path, toy: corridor.Network) -> None:
    def edit(t: pd.DataFrame) -> pd.DataFrame:
        t.loc[4, "node_id"] = 1
        return t

    def relink(t: pd.DataFrame) -> pd.DataFrame:
        t.loc[5, "link_id"] = 10
        return t

    text = _bad(tmp_path, toy, edit_nodes=edit, edit_links=relink)
    assert "nodes.node_id: duplicate ids [1]" in text
    assert "links.link_id: duplicate ids [10]" in text


def test_every_problem_reported_together(tmp_path: Path, toy: corridor.Network) -> None:
    def edit(t: pd.DataFrame) -> pd.DataFrame:
        t.loc[0, "mode"] = "hovercraft"
        t.loc[1, "speed_kmh"] = -3.0
        return t

    text = _bad(tmp_path, toy, edit_links=edit)
    assert "links.mode" in text and "hovercraft" in text and "links.speed_kmh" in text


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.gpkg"
    path.write_bytes(b"")
    with pytest.raises(corridor.DataSourceError, match=r"empty\.gpkg.*not a GeoPackage"):
        corridor.read_network(path)


def test_empty_tables(tmp_path: Path, toy: corridor.Network) -> None:
    text = _bad(tmp_path, toy, edit_nodes=lambda t: t.iloc[:0], edit_links=lambda t: t.iloc[:0])
    assert "nodes: the table is empty" in text


def test_not_a_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "net.gpkg"
    path.write_text("node_id,name\n1,Moscow\n")
    with pytest.raises(corridor.DataSourceError, match="not a GeoPackage"):
        corridor.read_network(path)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(corridor.DataSourceError, match="no such file"):
        corridor.read_network(tmp_path / "nope.gpkg")
    other = tmp_path / "net.shp"
    other.write_text("x")
    with pytest.raises(corridor.DataSourceError, match="unknown network format"):
        corridor.read_network(other)


def test_geopackage_without_links_layer(tmp_path: Path, toy: corridor.Network) -> None:
    path = tmp_path / "nodes_only.gpkg"
    nodes = _to_storage(toy.nodes, NODE_COLUMNS)
    gpd.GeoDataFrame(
        nodes, geometry=gpd.points_from_xy(nodes["lon"], nodes["lat"]), crs="EPSG:4326"
    ).to_file(path, layer="nodes", driver="GPKG")
    with pytest.raises(corridor.DataSourceError, match=r"no layer\(s\) \['links'\]"):
        corridor.read_network(path)


@pytest.mark.parametrize("name", ["net.gpkg", "net.parquet"])
def test_formalities_round_trip(tmp_path: Path, name: str) -> None:
    """The border-formalities table survives GeoPackage and GeoParquet round trips."""
    from corridor.io.files import read_network, write_network

    net = corridor.eurasia()
    back = read_network(write_network(net, tmp_path / name))
    pd.testing.assert_frame_equal(back.formalities, net.formalities)


def test_every_exported_layer_opens_with_its_crs_and_dates_as_dates(tmp_path: Path) -> None:
    """QGIS/ogrinfo (GDAL, through pyogrio) and geopandas open each layer with EPSG:4326."""
    import pyogrio

    net = corridor.eurasia()
    gpkg = corridor.write_network(net, tmp_path / "net.gpkg")
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"nodes", "links", "crossings", "turns", "formalities"} <= layers
    for name in ("nodes", "links", "crossings", "turns", "formalities"):
        info = pyogrio.read_info(gpkg, layer=name)
        assert info["crs"] == "EPSG:4326", name
        assert info["features"] == len(getattr(net, name)), name
    crossings = pyogrio.read_info(gpkg, layer="crossings")
    assert crossings["geometry_type"] == "Point"
    date_types = dict(zip(crossings["fields"], crossings["ogr_types"], strict=True))
    assert date_types["opened"] == "OFTDate"
    assert {"delay_p50_h", "delay_p90_h"} <= set(crossings["fields"])
    folder = corridor.write_network(net, tmp_path / "net.parquet")
    for name in ("nodes", "links", "crossings", "turns", "formalities"):
        g = gpd.read_parquet(folder / f"{name}.parquet")
        assert g.crs is not None and g.crs.to_epsg() == 4326, name
        assert len(g) == len(getattr(net, name)), name
    # a crossing point sits on its node
    g = gpd.read_parquet(folder / "crossings.parquet")
    node = net.nodes.set_index("node_id").loc[int(g["node_id"].iloc[0])]
    assert (g.geometry.iloc[0].x, g.geometry.iloc[0].y) == (node["lon"], node["lat"])
    for path in (gpkg, folder):
        back = corridor.read_network(path)
        pd.testing.assert_frame_equal(back.crossings, net.crossings, check_like=True)
