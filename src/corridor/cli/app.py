"""The `corridor` command line: the root app, which registers every command.

Imports run one way: this module imports the command modules; they import
:mod:`corridor.cli.common` (and :mod:`corridor.cli.render`) and the public
:mod:`corridor` namespace, never this module.

Registering a command is one line below (``app.command("name")(module.name_cmd)``) plus,
for ``--help``, an entry in :data:`corridor.cli.helptext.EXAMPLES`. Start-up stays fast
because the command modules are cheap to import, not because registration is deferred:

* ``import corridor`` is lazy (PEP 562): ``corridor.route`` imports :mod:`corridor.paths`
  on first use, so importing a command module pulls in nothing heavy;
* a command module imports numpy, pandas, matplotlib, shapely, uvicorn ... inside the
  command function, never at the top (``tests/unit/cli/test_help.py`` checks that
  ``import corridor.cli.app`` loads none of them);
* type hints naming corridor classes stay strings (``from __future__ import
  annotations``; a module-level alias is a string too, as ``common.Ends``).

``corridor --help`` thus costs the interpreter, typer and rich: about 0.15 s
(``bench/embedded.py``).
"""

from __future__ import annotations

import gc
from typing import Annotated

import typer

import corridor
from corridor.cli import (
    assign,
    costs,
    data,
    export,
    freight,
    freight_compare,
    gtfs,
    info,
    osm,
    route,
    scenario,
    serve,
    skim,
    tourism,
    validate,
)
from corridor.cli.helptext import TidyGroup

__all__ = ["app", "main"]

app = typer.Typer(
    name="corridor",
    help="Eurasia's transit-transport corridors, computable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=TidyGroup,
    rich_markup_mode="rich",
)


def _print_version(value: bool) -> None:
    """Print ``corridor <version>`` and stop, when --version is given."""
    if value:
        print(f"corridor {corridor.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Eurasia's transit-transport corridors, computable."""


# in this order in --help
app.command("info")(info.info_cmd)
app.command("route")(route.route_cmd)
app.command("tcd")(costs.tcd_cmd)
app.command("cpmm")(costs.cpmm_cmd)
app.command("profiles")(costs.profiles_cmd)
app.command("assign")(assign.assign_cmd)
app.add_typer(data.data_app, name="data")
app.command("map")(data.map_cmd)
app.add_typer(scenario.scenario_app, name="scenario")
app.add_typer(osm.import_app, name="import")
app.command("trip")(gtfs.trip_cmd)
app.command("export")(export.export_cmd)
app.command("skim")(skim.skim_cmd)
app.command("isochrone")(skim.isochrone_cmd)
app.command("accessibility")(skim.accessibility_cmd)
app.add_typer(freight.freight_app, name="freight")
app.add_typer(tourism.tourism_app, name="tourism")
app.command("validate")(validate.validate_cmd)
app.command("serve")(serve.serve_cmd)
app.command("freight-compare")(freight_compare.freight_compare_cmd)


def main() -> None:
    """Run the `corridor` command (the console-script entry point).

    The cyclic garbage collector's first threshold is raised from 700 to 100,000
    allocations: importing pandas, pyarrow and numba allocates millions of objects and
    the default threshold walks them in hundreds of collections (about 0.2 s CPU of a
    1.3 s ``corridor route``, measured with ``gc.disable()``). Cycles are still
    collected, only less often, so long commands (``assign``, ``scenario compare``)
    keep their memory bounded.
    """
    gc.set_threshold(100_000, 50, 100)
    app(prog_name="corridor")


if __name__ == "__main__":
    main()
