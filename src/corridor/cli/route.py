"""`corridor route`: one least-cost route, alternatives, a Pareto set, reliability."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

import corridor
from corridor.cli.common import (
    JsonOpt,
    NetworkOpt,
    WideOpt,
    console,
    fail,
    guard,
    load_network,
    print_notes,
    resolve_ends,
    resolved_json,
)
from corridor.cli.render import print_reliability, print_route, print_route_set

__all__ = ["ModeChoice", "OptimizeChoice", "route_cmd"]


class ModeChoice(StrEnum):
    """Modes a route may use."""

    road = "road"
    rail = "rail"
    any = "any"


class OptimizeChoice(StrEnum):
    """What a route minimises."""

    time = "time"
    distance = "distance"
    cost = "cost"
    co2 = "co2"
    generalized = "generalized"


def _as_of(net: corridor.Network, when: str) -> corridor.Network:
    """The network as it stood on `when`, with a one-line error for a bad date."""
    try:
        return net.as_of(when)
    except (ValueError, TypeError):
        raise corridor.ValidationError(f"cannot read date {when!r}; use YYYY-MM-DD") from None


def _reliability(r: corridor.Route, draws: int, seed: int, as_json: bool) -> corridor.Reliability:
    """Monte Carlo arrival quantiles of `r`, with a one-line error if it has no timeline."""
    return guard(as_json, lambda: corridor.reliability(r, n=draws, seed=seed))


def route_cmd(
    origin: Annotated[str, typer.Argument(help="Place name or node id.")],
    destination: Annotated[str, typer.Argument(help="Place name or node id.")],
    network: NetworkOpt = None,
    mode: Annotated[ModeChoice, typer.Option(help="Modes to use.")] = ModeChoice.any,
    optimize: Annotated[
        OptimizeChoice | None,
        typer.Option(help="What to minimise (default: generalized with a profile, else time)."),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", "-p", help="Vehicle/traveller profile id or YAML file (see `profiles`)."
        ),
    ] = None,
    depart: Annotated[
        str | None, typer.Option(help="Departure, e.g. 2026-12-01T08:00: gives arrival times.")
    ] = None,
    alternatives: Annotated[
        int, typer.Option(help="Give up to N materially different routes (needs --profile).")
    ] = 0,
    pareto: Annotated[
        bool, typer.Option("--pareto", help="Give the non-dominated set over time, cost, CO2.")
    ] = False,
    reliability: Annotated[
        bool,
        typer.Option(
            "--reliability", help="P50/P90 arrival with random crossing delays (Monte Carlo)."
        ),
    ] = False,
    similarity: Annotated[
        float, typer.Option(help="--alternatives: largest shared share of the shorter route.")
    ] = corridor.defaults.MAX_SIMILARITY,
    tolerance: Annotated[
        float, typer.Option(help="--pareto: relative dominance tolerance (0 = exact set).")
    ] = corridor.defaults.PARETO_TOLERANCE,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Use the network as it stood on this date (YYYY-MM-DD)."),
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws for --reliability.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed for --reliability.")] = 0,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """The least-cost route between two places, with its legs, stops and totals."""
    net: corridor.Network = guard(as_json, lambda: load_network(network))
    if as_of is not None:
        net = guard(as_json, lambda: _as_of(net, as_of))
    goal = corridor.defaults.objective(optimize, profile)
    if (alternatives or pareto or reliability) and profile is None:
        fail("--alternatives, --pareto and --reliability need --profile", as_json)
    if alternatives < 0:
        fail("--alternatives must be >= 0", as_json)
    if profile is not None:
        guard(as_json, lambda: corridor.load_profile(profile), field="profile")
    ends = resolve_ends(net, origin, destination, as_json)
    found: list[corridor.Route]
    method = ""
    if pareto or alternatives:
        prof = profile or ""  # not None: checked above
        if pareto:
            rs: corridor.RouteSet = guard(
                as_json,
                lambda: corridor.pareto(
                    net,
                    origin,
                    destination,
                    profile=prof,
                    modes=mode.value,
                    depart=depart,
                    tolerance=tolerance,
                ),
            )
        else:
            rs = guard(
                as_json,
                lambda: corridor.alternatives(
                    net,
                    origin,
                    destination,
                    profile=prof,
                    k=alternatives,
                    optimize=goal,
                    max_similarity=similarity,
                    modes=mode.value,
                    depart=depart,
                ),
            )
        found, method = list(rs.routes), rs.method
    else:
        found = [
            guard(
                as_json,
                lambda: corridor.route(
                    net,
                    origin,
                    destination,
                    modes=mode.value,
                    optimize=goal,
                    profile=profile,
                    depart=depart,
                ),
            )
        ]
    fewer = corridor.defaults.fewer_alternatives(len(found), alternatives, similarity)
    fewer = fewer.replace("the similarity limit", "--similarity")
    rel: list[corridor.Reliability] = []
    if reliability:
        rel = [_reliability(r, draws, seed, as_json) for r in found]
    if as_json:
        dicts = [r.to_dict() for r in found]
        for d, x in zip(dicts, rel, strict=False):
            d["reliability"] = x.to_dict()
        if pareto or alternatives:
            out: dict[str, object] = {
                "routes": dicts,
                "method": method,
                "resolved": resolved_json(ends),
            }
            if alternatives:
                out["asked"] = alternatives
                out["note"] = corridor.defaults.fewer_alternatives(
                    len(found), alternatives, similarity
                )
            print(json.dumps(out))
        else:
            print(json.dumps({**dicts[0], "resolved": resolved_json(ends)}))
        return
    print_notes(ends)
    if pareto or alternatives:
        print_route_set(found, method, rel, wide=wide)
        if alternatives and len(found) < alternatives:
            console.print(f"[yellow]note:[/] {escape(fewer)}", highlight=False)
        return
    print_route(found[0], wide=wide)
    if rel:
        print_reliability(rel[0])
