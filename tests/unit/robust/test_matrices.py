"""Matrix tables whose ids wrap or whose dense size would eat the machine (issue 13)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import corridor


def test_float_id_beyond_int64_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("origin,destination,time_h\n1,2,1.5\n1e19,2,2.0\n")
    with pytest.raises(corridor.DataSourceError, match=r"m\.csv \(row 3\): origin 1e\+19"):
        corridor.read_matrices(path)


def test_sparse_table_of_a_huge_dense_matrix_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 3000  # 3,000 pairs on a diagonal: dense 3,000 x 3,000 x 8 bytes = 69 MiB
    ids = np.arange(1, n + 1)
    rows = "\n".join(f"{i},{i},1.0" for i in ids)
    path = tmp_path / "diag.csv"
    path.write_text("origin,destination,time_h\n" + rows + "\n")
    monkeypatch.setenv("CORRIDOR_MAX_MEMORY_GB", "0.05")
    with pytest.raises(corridor.ValidationError, match="3000 x 3000"):
        corridor.read_matrices(path)
    monkeypatch.setenv("CORRIDOR_MAX_MEMORY_GB", "1")
    m = corridor.read_matrices(path)
    assert m.matrices["time_h"].shape == (n, n)
    assert np.isnan(m.matrices["time_h"][0, 1]) and m.matrices["time_h"][5, 5] == 1.0


def test_whole_float_ids_still_read(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("origin,destination,time_h\n1.0,2.0,1.5\n2.0,1.0,2.5\n")
    m = corridor.read_matrices(path)
    assert m.origins.tolist() == [1, 2] and m.destinations.tolist() == [2, 1]


@pytest.mark.parametrize(("zero_from", "zero_to"), [(496, 2238), (658, 2685)])
def test_omx_that_crashes_hdf5_is_a_clean_error(
    tmp_path: Path, zero_from: int, zero_to: int
) -> None:
    # found by `make fuzz`: these zeroed spans of a valid OMX file made the HDF5 library
    # segfault inside tables.File (the whole process died); the reader now forks
    m = {"time_h": np.array([[0.0, 1.5], [2.0, 0.0]])}
    path = corridor.write_matrices(m, tmp_path / "m.omx", origins=[1, 2], destinations=[1, 2])
    data = bytearray(path.read_bytes())
    data[zero_from:zero_to] = bytes(len(data[zero_from:zero_to]))
    path.write_bytes(bytes(data))
    with pytest.raises(corridor.DataSourceError, match=r"m\.omx: .*OMX"):
        corridor.read_matrices(path)


def test_omx_read_in_a_child_gives_the_same_matrices(tmp_path: Path) -> None:
    m = {"time_h": np.array([[0.0, 1.5], [2.0, np.inf]]), "cost_usd": np.ones((2, 2))}
    path = corridor.write_matrices(m, tmp_path / "m.omx", origins=[7, 9], destinations=[7, 9])
    got = corridor.read_matrices(path)
    assert sorted(got.matrices) == ["cost_usd", "time_h"]
    np.testing.assert_array_equal(got.matrices["time_h"], m["time_h"])
    np.testing.assert_array_equal(got.origins, [7, 9])


def test_omx_errors_from_the_child_keep_their_message(tmp_path: Path) -> None:
    path = tmp_path / "empty.omx"
    tables = pytest.importorskip("tables", reason="PyTables reads OMX")
    with tables.open_file(str(path), "w") as f:
        f.root._v_attrs.OMX_VERSION = "0.2"
    with pytest.raises(corridor.DataSourceError, match=r"empty\.omx: "):
        corridor.read_matrices(path)
