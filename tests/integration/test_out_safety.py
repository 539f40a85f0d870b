"""`--out` never destroys what corridor did not write: exit 2 unless --force (issue 13).

Each command with `--out` is run onto an unrelated file and an unrelated folder (refused,
left byte for byte as it was, nothing left beside it), onto its own earlier output
(replaced) and, with `--force`, onto the unrelated one (replaced).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture
def toy_file(tmp_path: Path, toy: corridor.Network) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    return corridor.write_network(toy, src / "toy.gpkg")


def _foreign_file(
    path: Path, data: bytes = b"PK\x03\x04 my thesis, not a corridor output"
) -> bytes:
    path.write_bytes(data)
    return data


def _foreign_folder(path: Path) -> None:
    path.mkdir()
    (path / "notes.txt").write_text("mine")
    (path / "sub").mkdir()
    (path / "sub" / "draft.txt").write_text("mine too")


def _is_foreign_folder(path: Path) -> bool:
    return (path / "notes.txt").read_text() == "mine" and sorted(
        str(p.relative_to(path)) for p in path.rglob("*")
    ) == ["notes.txt", "sub", "sub/draft.txt"]


def _run(args: Sequence[str]) -> tuple[int, str]:
    res = runner.invoke(app, [*args, "--json"])
    return res.exit_code, res.stdout


def _refused(args: Sequence[str], out: Path) -> None:
    code, stdout = _run([*args, "--out", str(out)])
    assert code == 2, stdout
    error = json.loads(stdout)["error"]
    assert str(out) in error and "--force" in error and "not" in error


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_export_network_refuses_foreign_folder_and_file(toy_file: Path, tmp_path: Path) -> None:
    args = ["export", str(toy_file)]
    folder = tmp_path / "x.parquet"
    _foreign_folder(folder)
    _refused(args, folder)
    assert _is_foreign_folder(folder)
    gpkg = tmp_path / "y.gpkg"
    data = _foreign_file(gpkg)
    _refused(args, gpkg)
    assert gpkg.read_bytes() == data
    sqlite = tmp_path / "z.gpkg"  # a GeoPackage of someone else (no corridor_meta table)
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(sqlite)) as con:
        con.execute("CREATE TABLE gpkg_contents (table_name TEXT)")
        con.commit()
    before = sqlite.read_bytes()
    _refused(args, sqlite)
    assert sqlite.read_bytes() == before
    assert _names(tmp_path) == ["in", "x.parquet", "y.gpkg", "z.gpkg"]
    # its own earlier outputs are replaced (written twice); --force replaces the foreign ones
    toy_links = corridor.examples.toy().links.shape
    for out, extra in [(tmp_path / "net.parquet", []), (tmp_path / "net.gpkg", [])] * 2 + [
        (folder, ["--force"]),
        (gpkg, ["--force"]),
    ]:
        code, stdout = _run([*args, "--out", str(out), *extra])
        assert code == 0, stdout
        assert corridor.read_network(out).links.shape == toy_links
    assert not (folder / "notes.txt").exists()
    assert _names(tmp_path) == ["in", "net.gpkg", "net.parquet", "x.parquet", "y.gpkg", "z.gpkg"]


def test_export_geojson_and_route_refuse_foreign(toy_file: Path, tmp_path: Path) -> None:
    geo = tmp_path / "roads.geojson"
    geo.write_text('{"type": "Feature", "geometry": null, "properties": {"mine": 1}}')
    before = geo.read_bytes()
    _refused(["export", str(toy_file)], geo)
    assert geo.read_bytes() == before
    route = tmp_path / "route.json"
    route.write_text('{"my": "notes"}')
    _refused(["export", str(toy_file), "--route", "A", "D"], route)
    assert route.read_text() == '{"my": "notes"}'
    code, _ = _run(["export", str(toy_file), "--route", "A", "D", "--out", str(route), "--force"])
    assert code == 0
    first = json.loads(route.read_text())
    code, _ = _run(["export", str(toy_file), "--route", "A", "B", "--out", str(route)])
    assert code == 0, "a route JSON replaces an earlier route JSON"
    assert json.loads(route.read_text()) != first


def test_skim_out_refuses_foreign_table_and_replaces_its_own(
    toy_file: Path, tmp_path: Path
) -> None:
    args = ["skim", "A", "D", "--network", str(toy_file)]
    for name in ("m.csv", "m.parquet", "m.omx"):
        out = tmp_path / name
        if name == "m.csv":
            out.write_text("my,own,table\n1,2,3\n")
        elif name == "m.parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({"my": [1]}), out)
        else:
            out.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 200)
        before = out.read_bytes()
        _refused(args, out)
        assert out.read_bytes() == before, name
        assert _run([*args, "--out", str(out), "--force"])[0] == 0
        written = corridor.read_matrices(out)
        assert _run([*args, "--out", str(out)])[0] == 0  # its own output: replaced
        again = corridor.read_matrices(out)
        assert set(again.matrices) == set(written.matrices)
    assert _names(tmp_path) == ["in", "m.csv", "m.omx", "m.parquet"]


def test_html_and_chart_outputs(toy_file: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body>my page</body></html>")
    _refused(["map", "--network", str(toy_file)], page)
    _refused(["isochrone", "A", "--network", str(toy_file), "--hours", "1,2"], page)
    assert "my page" in page.read_text()
    assert _run(["map", "--network", str(toy_file), "--out", str(page), "--force"])[0] == 0
    assert _run(["isochrone", "A", "--network", str(toy_file), "--out", str(page)])[0] == 0
    assert 'content="corridor"' in page.read_text()
    png = tmp_path / "tcd.png"
    _foreign_file(png, b"\x89PNG\r\n\x1a\n someone's picture")
    _refused(["tcd", "A", "D", "-n", str(toy_file)], png)
    assert png.read_bytes().endswith(b"someone's picture")
    assert _run(["tcd", "A", "D", "-n", str(toy_file), "--out", str(png), "--force"])[0] == 0
    assert _run(["tcd", "A", "D", "-n", str(toy_file), "--out", str(png)])[0] == 0
    assert _names(tmp_path) == ["in", "page.html", "tcd.png"]


def _scenario(tmp_path: Path, name: str, edits: str) -> Path:
    path = tmp_path / "in" / f"{name}.yaml"
    path.write_text(f"name: {name}\ndescription: test\nbase: toy\nedits:\n{edits}")
    return path


def test_scenario_compare_out_refuses_foreign(toy_file: Path, tmp_path: Path) -> None:
    base = _scenario(tmp_path, "base", "  - as_of: 2024-01-01\n")
    fast = _scenario(tmp_path, "fast", "  - set_links: {links: {ref: R2}, speed_kmh: 130}\n")
    args = ["scenario", "compare", str(base), str(fast), "--network", str(toy_file)]
    args += ["--places", "A,B,D", "--profiles", "car"]
    thesis = tmp_path / "thesis.docx"
    data = _foreign_file(thesis)
    _refused(args, thesis)
    assert thesis.read_bytes() == data
    sub = tmp_path / "sub"
    _foreign_folder(sub)
    _refused(args, sub)
    assert _is_foreign_folder(sub)
    assert _names(tmp_path) == ["in", "sub", "thesis.docx"]
    out = tmp_path / "report"
    assert _run([*args, "--out", str(out)])[0] == 0
    first = (out / ".corridor-output").read_text()
    assert _run([*args, "--out", str(out)])[0] == 0  # its own report: replaced
    assert json.loads((out / ".corridor-output").read_text())["tool"] == "corridor"
    assert (out / "report.html").exists() and first
    assert _run([*args, "--out", str(thesis), "--force"])[0] == 0
    assert (thesis / "report.html").exists()
    assert _names(tmp_path) == ["in", "report", "sub", "thesis.docx"]


def test_assign_out_refuses_foreign(tmp_path: Path) -> None:
    pytest.importorskip("scipy")
    net = tmp_path / "in"
    net.mkdir()
    (net / "t_net.tntp").write_text(
        "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n"
        "<END OF METADATA>\n\n~ init term cap len fft b power speed toll type ;\n"
        "1 2 1000 1 1 0.15 4 0 0 1 ;\n2 1 1000 1 1 0.15 4 0 0 1 ;\n"
    )
    (net / "t_trips.tntp").write_text(
        "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 200.0\n<END OF METADATA>\n\n\n"
        "Origin 1\n    1 : 0.0;    2 : 100.0;\n\nOrigin 2\n    1 : 100.0;    2 : 0.0;\n"
    )
    args = ["assign", str(net / "t_net.tntp"), str(net / "t_trips.tntp"), "--algorithm", "aon"]
    flows = tmp_path / "flows.tntp"
    flows.write_text("my notes\n")
    _refused(args, flows)
    assert flows.read_text() == "my notes\n"
    code, stdout = _run([*args, "--out", str(flows), "--force"])
    assert code == 0, stdout
    assert _run([*args, "--out", str(flows)])[0] == 0
    assert flows.read_text().startswith("From")
    assert _names(tmp_path) == ["flows.tntp", "in"]


def test_import_osm_out_refuses_foreign(tmp_path: Path) -> None:
    pytest.importorskip("osmium", reason="pyosmium is needed for the OSM import")
    (tmp_path / "in").mkdir()
    src = tmp_path / "in" / "small.osm"
    src.write_text(
        '<?xml version="1.0"?><osm version="0.6">'
        '<node id="1" version="1" lat="0.0" lon="10.0"/>'
        '<node id="2" version="1" lat="0.0" lon="10.001"/>'
        '<node id="3" version="1" lat="0.001" lon="10.002"/>'
        '<way id="7" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>'
        '<tag k="highway" v="primary"/><tag k="ref" v="E1"/></way></osm>'
    )
    args = ["import", "osm", str(src), "--country", "FI"]
    gpkg = tmp_path / "net.gpkg"
    data = _foreign_file(gpkg)
    _refused(args, gpkg)
    assert gpkg.read_bytes() == data
    folder = tmp_path / "net.parquet"
    _foreign_folder(folder)
    _refused(args, folder)
    assert _is_foreign_folder(folder)
    for out in (gpkg, folder):
        assert _run([*args, "--out", str(out), "--force"])[0] == 0
        assert _run([*args, "--out", str(out)])[0] == 0
        assert set(corridor.read_network(out).links["ref"]) == {"E1"}
    assert _names(tmp_path) == ["in", "net.gpkg", "net.parquet"]


@pytest.mark.slow
def test_data_build_out_refuses_foreign_folder(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    _foreign_folder(sub)
    code, stdout = _run(["data", "build", "--out", str(sub)])
    assert code == 2 and "--force" in json.loads(stdout)["error"]
    assert _is_foreign_folder(sub)
    assert _names(tmp_path) == ["sub"]


def test_refusal_comes_before_the_work(tmp_path: Path) -> None:
    thesis = tmp_path / "thesis.docx"
    data = _foreign_file(thesis)
    # the scenarios do not exist: the output is checked first, so that is the error
    _refused(["scenario", "compare", "no-such-a", "no-such-b"], thesis)
    sub = tmp_path / "m.csv"  # a folder where a file is to go is refused at once too
    _foreign_folder(sub)
    _refused(["skim", "Nowhere", "--network", str(tmp_path / "missing.gpkg")], sub)
    assert thesis.read_bytes() == data and _is_foreign_folder(sub)
    assert _names(tmp_path) == ["m.csv", "thesis.docx"]
