"""`corridor data build|check` and `corridor map`: the embedded network's commands."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

import corridor
from corridor.cli.common import (
    ForceOpt,
    JsonOpt,
    NetworkOpt,
    console,
    fail,
    guard,
    load_network,
)

__all__ = ["data_app", "map_cmd"]


data_app = typer.Typer(help="Build and check the embedded Eurasian network.", no_args_is_help=True)


def _load(path: Path | None, as_json: bool) -> corridor.Network:
    net: corridor.Network = guard(as_json, lambda: load_network(path))
    return net


@data_app.command("build")
def build_cmd(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder; default: the packaged network."),
    ] = None,
    recipe: Annotated[
        Path | None, typer.Option("--recipe", help="Recipe folder; default: the packaged one.")
    ] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Regenerate the embedded network from the recipe (byte for byte)."""
    start = time.perf_counter()
    if out is not None:
        guard(as_json, lambda: corridor.check_output(out, folder=True, force=force))
    try:
        folder = corridor.build_eurasia(out, recipe=recipe, force=force)
    except (corridor.CorridorError, OSError) as exc:
        fail(" ".join(str(exc).split()), as_json)
        return
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
    if as_json:
        print(json.dumps({"folder": str(folder), "files": files}))
        return
    size = sum(files.values())
    console.print(
        f"wrote {folder} ({len(files)} files, {size / 1024:,.0f} KiB) "
        f"in {time.perf_counter() - start:.1f} s"
    )


@data_app.command("check")
def check_cmd(network: NetworkOpt = None, as_json: JsonOpt = False) -> None:
    """Check a network: connectivity, crossings, named routes, published lengths, speeds."""
    net = _load(network, as_json)
    checks = corridor.check_network(net)
    errors = [c for c in checks if not c.passed and c.severity == "error"]
    if as_json:
        print(json.dumps({"checks": [c.to_dict() for c in checks], "errors": len(errors)}))
    else:
        table = Table("check", "result", "detail", title=f"{net.name}: {len(checks)} checks")
        for c in checks:
            mark = (
                "[green]pass[/]"
                if c.passed
                else ("[red]FAIL[/]" if c.severity == "error" else "[yellow]warn[/]")
            )
            table.add_row(c.name, mark, c.detail)
        console.print(table)
    if errors:
        raise typer.Exit(1)


def map_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "network.html"
    ),
    network: NetworkOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write a self-contained offline HTML map of the network (no tiles, no CDN)."""
    net = _load(network, as_json)
    try:
        path = corridor.write_network_map(
            net, out, outlines=corridor.country_outlines(), force=force
        )
    except (corridor.CorridorError, OSError) as exc:
        fail(" ".join(str(exc).split()), as_json)
        return
    if as_json:
        print(json.dumps({"out": str(path), "bytes": path.stat().st_size}))
    else:
        console.print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KiB)")
