"""Damaged network files give a DataSourceError naming the file, never a traceback (issue 13)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import corridor


@pytest.fixture
def parquet_net(tmp_path: Path) -> Path:
    return corridor.write_network(corridor.examples.toy(), tmp_path / "toy.parquet")


@pytest.fixture
def gpkg_net(tmp_path: Path) -> Path:
    return corridor.write_network(corridor.examples.toy(), tmp_path / "toy.gpkg")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"null", "not an object"),
        (b"", "not JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"{name: x}", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_bad_meta_json_is_a_data_source_error(
    parquet_net: Path, content: bytes, words: str
) -> None:
    (parquet_net / "meta.json").write_bytes(content)
    with pytest.raises(corridor.DataSourceError) as info:
        corridor.read_network(parquet_net)
    msg = str(info.value)
    assert "meta.json" in msg and words in msg and "\n" not in msg
    assert len(msg) < 400 and "\\xff" not in msg  # no raw bytes echoed back


def test_good_meta_json_still_names_the_network(parquet_net: Path) -> None:
    (parquet_net / "meta.json").write_text('{"name": "renamed"}')
    assert corridor.read_network(parquet_net).name == "renamed"


def test_empty_wkb_names_the_row(parquet_net: Path) -> None:
    file = parquet_net / "links.parquet"
    table = pq.read_table(file)
    geoms = table.column("geometry").to_pylist()
    geoms[2] = b""
    i = table.schema.get_field_index("geometry")
    table = table.set_column(i, "geometry", pa.array(geoms, pa.binary()))
    pq.write_table(table, file)
    with pytest.raises(corridor.DataSourceError, match=r"links\.parquet \(row 3\): .*WKB"):
        corridor.read_network(parquet_net)


def test_gpkg_with_a_zeroed_page_is_refused(gpkg_net: Path, tmp_path: Path) -> None:
    with closing(sqlite3.connect(gpkg_net)) as con:
        page = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'links'").fetchone()[0]
    data = bytearray(gpkg_net.read_bytes())
    data[(root - 1) * page : root * page] = bytes(page)  # the links table's root page
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(bytes(data))
    with pytest.raises(corridor.DataSourceError, match=r"broken\.gpkg"):
        corridor.read_network(broken)


# GDAL warns about what it reads of a damaged file
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_every_zeroed_page_gives_a_clean_error_or_a_network(gpkg_net: Path, tmp_path: Path) -> None:
    with closing(sqlite3.connect(gpkg_net)) as con:
        page = con.execute("PRAGMA page_size").fetchone()[0]
    data = gpkg_net.read_bytes()
    n_pages = len(data) // page
    errors: list[str] = []
    for k in range(1, n_pages):  # page 0 holds the header: refused by the SQLite check
        copy = bytearray(data)
        copy[k * page : (k + 1) * page] = bytes(page)
        broken = tmp_path / f"p{k}.gpkg"
        broken.write_bytes(bytes(copy))
        try:
            net = corridor.read_network(broken)
        except corridor.CorridorError as exc:
            errors.append(str(exc))
        else:
            assert isinstance(net, corridor.Network)
        broken.unlink()
    assert errors  # zeroing the tables' pages must be noticed
    assert all(msg.startswith(str(tmp_path)) and "\n" not in msg for msg in errors)


def test_corrupt_corridor_meta_in_gpkg(gpkg_net: Path) -> None:
    with closing(sqlite3.connect(gpkg_net)) as con:
        con.execute("UPDATE corridor_meta SET value = 'null'")
        con.commit()
    with pytest.raises(corridor.DataSourceError, match="not an object"):
        corridor.read_network(gpkg_net)


def test_copy_is_still_readable(parquet_net: Path, tmp_path: Path) -> None:
    """The checks refuse nothing that corridor wrote."""
    copy = tmp_path / "copy.parquet"
    shutil.copytree(parquet_net, copy)
    assert corridor.read_network(copy).links.shape == corridor.examples.toy().links.shape
