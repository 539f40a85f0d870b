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
