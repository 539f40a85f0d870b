"""Matrix files: OMX, Parquet and CSV round trips, atomic writes, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.errors import DataSourceError, ValidationError
from corridor.export.omx import read_matrices, read_skim, write_matrices, write_skim
from corridor.paths.skim import skim


@pytest.mark.parametrize("suffix", [".omx", ".parquet", ".csv"])
def test_skim_round_trip(tmp_path: Path, toy: corridor.Network, suffix: str) -> None:
    s = skim(toy, ["A", "B", "C"], ["D", "E"], sums=("length_km", "toll_usd"), modes="rail")
    path = write_skim(s, tmp_path / f"m{suffix}")
    assert path.exists()
    assert [p.name for p in tmp_path.iterdir()] == [f"m{suffix}"]  # no temp file left
    back = read_skim(path)
    assert back.metric == "time_h"
    assert back.origins.tolist() == [1, 2, 3] and back.destinations.tolist() == [4, 5]
    np.testing.assert_array_equal(back.values, s.values)  # inf included
    assert np.isinf(back.values[1:]).all()  # B and C have no rail link
    assert np.isfinite(back.values[0]).all()
    for name in ("length_km", "toll_usd"):
        np.testing.assert_array_equal(back[name], s[name])


def test_rectangular_matrices_and_attrs(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    mats = {"demand": rng.random((3, 5)), "cost_usd": np.full((3, 5), np.inf)}
    write_matrices(
        mats, tmp_path / "od.omx", origins=[7, 8, 9], destinations=range(1, 6), attrs={"note": "x"}
    )
    back = read_matrices(tmp_path / "od.omx")
    assert back.attrs == {"note": "x"}
    assert back.origins.tolist() == [7, 8, 9]
    np.testing.assert_array_equal(back.matrices["demand"], mats["demand"])
    np.testing.assert_array_equal(back.matrices["cost_usd"], mats["cost_usd"])


def test_table_with_missing_pairs_reads_as_nan(tmp_path: Path) -> None:
    (tmp_path / "od.csv").write_text("origin,destination,trips\n1,2,5\n2,1,3\n1,1,0\n")
    back = read_matrices(tmp_path / "od.csv")
    assert back.origins.tolist() == [1, 2] and back.destinations.tolist() == [2, 1]
    np.testing.assert_array_equal(back.matrices["trips"], [[5.0, 0.0], [np.nan, 3.0]])


def test_bad_matrix_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="shape"):
        write_matrices({"x": np.zeros((2, 2))}, tmp_path / "a.omx", origins=[1], destinations=[1])
    with pytest.raises(ValidationError, match="repeat"):
        write_matrices(
            {"x": np.zeros((2, 1))}, tmp_path / "a.csv", origins=[1, 1], destinations=[1]
        )
    with pytest.raises(DataSourceError, match="unknown matrix format"):
        write_matrices({"x": np.zeros((1, 1))}, tmp_path / "a.xlsx", origins=[1], destinations=[1])
    with pytest.raises(DataSourceError, match="not found"):
        read_matrices(tmp_path / "none.omx")
    (tmp_path / "junk.omx").write_text("not hdf5")
    with pytest.raises(DataSourceError, match="cannot open as OMX"):
        read_matrices(tmp_path / "junk.omx")
    (tmp_path / "dup.csv").write_text("origin,destination,t\n1,2,5\n1,2,3\n")
    with pytest.raises(DataSourceError, match=r"row 3.*repeats|repeats"):
        read_matrices(tmp_path / "dup.csv")
    (tmp_path / "cols.csv").write_text("from,to,t\n1,2,5\n")
    with pytest.raises(DataSourceError, match="origin"):
        read_matrices(tmp_path / "cols.csv")


@pytest.mark.parametrize("suffix", [".omx", ".csv", ".parquet"])
def test_zone_names_travel_with_the_matrices(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("openmatrix", reason="OMX needs the optional openmatrix package")
    names = {10: "Moscow", 20: "Ürümqi", 30: "Nizhny Novgorod"}
    mats = {"time_h": np.arange(6, dtype=float).reshape(2, 3)}
    path = corridor.write_matrices(
        mats, tmp_path / f"m{suffix}", origins=[20, 10], destinations=[10, 20, 30], names=names
    )
    back = corridor.read_matrices(path)
    assert back.origin_names == ("Ürümqi", "Moscow")
    assert back.destination_names == ("Moscow", "Ürümqi", "Nizhny Novgorod")
    assert list(back.matrices) == ["time_h"]
    np.testing.assert_array_equal(back.matrices["time_h"], mats["time_h"])
