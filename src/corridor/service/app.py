"""The FastAPI app: a JSON API over the public corridor namespace and the offline map page.

Endpoints (all JSON; errors are ``{"error": message, "type": ..., "status": ...}`` with a
4xx status):

========================  ============================================================
``GET /api/health``       network name and size
``GET /api/places``       prefix search over names and alternate names
``GET /api/profiles``     the built-in profiles
``POST /api/route``       one least-cost route (legs, stops, totals, GeoJSON)
``POST /api/routes``      alternatives or the Pareto set
``POST /api/tcd``         time/cost-distance chart data
``POST /api/isochrone``   travel time from a place, in bands
``GET /api/scenarios``    the bundled scenarios
``POST /api/compare``     two scenarios compared (cached)
``GET /api/validate``     the network against the published figures (computed once)
``GET /api/network.geojson``, ``GET /api/outlines.geojson``: the map's only data
``GET /``                 the map page (MapLibre GL JS from ``web/node_modules``)
========================  ============================================================

Profiles and scenarios are chosen by name among the built-in ones: no request can name a
file on the server. The OpenAPI schema is at ``/openapi.json``; ``/docs`` is Swagger UI,
its scripts served from ``web/node_modules/swagger-ui-dist`` (no CDN; see
:mod:`corridor.service.docs`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

import corridor
from corridor.service.docs import mount_docs, swagger_dir
from corridor.service.limits import BodySizeLimit, ConcurrencyGate, RateLimit, TokenBuckets
from corridor.service.models import (
    CompareRequest,
    CompareResponse,
    ErrorResponse,
    HealthResponse,
    IsochroneRequest,
    IsochroneResponse,
    PlacesResponse,
    ProfilesResponse,
    ResolvedOut,
    RouteOut,
    RouteRequest,
    RouteSetOut,
    RoutesRequest,
    ScenariosResponse,
    TcdRequest,
    TcdResponse,
    ValidateResponse,
)
from corridor.service.settings import ServiceSettings
from corridor.service.state import LRU, NetworkState, diff_networks, records

__all__ = ["create_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
M = TypeVar("M", bound=BaseModel)

_ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorResponse} for s in (400, 404, 413, 422, 429)
}


class ServiceError(Exception):
    """A request the service refuses, with its HTTP status."""

    def __init__(
        self, status: int, message: str, kind: str = "BadRequest", field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.field = field


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


def _error(status: int, kind: str, message: str, field: str | None = None) -> JSONResponse:
    """The service's own refusals in the shape of :func:`corridor.error_object`."""
    body = corridor.error_object(
        ServiceError(status, message, kind), code=_snake(kind), field=field, status=status
    )
    body["type"] = body["error_class"] = kind
    return JSONResponse(body, status_code=status)


def _snake(kind: str) -> str:
    name = kind.removesuffix("Error") or kind
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _message(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " ".join(lines) or type(exc).__name__


def _field_errors(exc: RequestValidationError) -> tuple[str, str | None]:
    """One line naming every bad field (at most 5), and the first field's name."""
    parts = []
    fields: list[str] = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query"))
        fields.append(loc)
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts), (fields[0] or None) if fields else None


def create_app(
    network: corridor.Network | None = None, settings: ServiceSettings | None = None
) -> FastAPI:
    """Build the web service for one network.

    Parameters
    ----------
    network
        The network served; default ``settings.network_file`` if set, else the embedded
        Eurasian one (:func:`corridor.eurasia`).
    settings
        Limits, caches and CORS; default :meth:`ServiceSettings.from_env`.

    Returns
    -------
    FastAPI
        The app; run it with uvicorn (``corridor serve`` does).
    """
    cfg = settings if settings is not None else ServiceSettings.from_env()
    if network is not None:
        net = network
    elif cfg.network_file is not None:
        net = corridor.read_network(cfg.network_file)
    else:
        net = corridor.eurasia()
    state = NetworkState(net, cfg.route_cache_size)
    scenarios = corridor.bundled_scenarios()
    comparisons: LRU[tuple[Any, ...], bytes] = LRU(cfg.compare_cache_size)
    compare_locks: LRU[tuple[Any, ...], threading.Lock] = LRU(64)
    compare_locks_guard = threading.Lock()

    def compare_lock(key: tuple[Any, ...]) -> threading.Lock:
        """One lock per scenario pair: a comparison asked twice at once is computed once."""
        with compare_locks_guard:
            lock = compare_locks.get(key)
            if lock is None:
                lock = threading.Lock()
                compare_locks.put(key, lock)
            return lock

    outlines = json.dumps(corridor.country_outlines()).encode()

    app = FastAPI(
        title="corridor",
        version=corridor.__version__,
        summary="Routes, costs, border crossings and scenarios on Eurasia's transit corridors.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.network_state = state
    app.state.settings = cfg
    app.state.comparisons = comparisons

    # -- errors ------------------------------------------------------------------------
    # every error is corridor.error_object(exc): the object the CLI prints with --json
    @app.exception_handler(corridor.CorridorError)
    async def _corridor(_r: Request, exc: corridor.CorridorError) -> JSONResponse:
        body = corridor.error_object(exc)
        return JSONResponse(body, status_code=int(body["status"]))

    @app.exception_handler(ServiceError)
    async def _service(_r: Request, exc: ServiceError) -> JSONResponse:
        return _error(exc.status, exc.kind, str(exc), field=exc.field)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        message, field = _field_errors(exc)
        return _error(422, "RequestValidationError", message, field=field)

    @app.exception_handler(Exception)
    async def _bug(r: Request, exc: Exception) -> JSONResponse:
        # the last resort, so that no client ever gets a plain-text 500: a bug, logged in full
        log.error("%s %s failed", r.method, r.url.path, exc_info=exc)
        return _error(
            500,
            "InternalError",
            f"internal error ({type(exc).__name__}); the server log has the details",
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(r: Request, exc: StarletteHTTPException) -> JSONResponse:
        text = {404: f"no such page: {r.url.path}", 405: f"{r.method} not allowed here"}
        return _error(exc.status_code, "HTTPError", text.get(exc.status_code, str(exc.detail)))

    # -- helpers -----------------------------------------------------------------------
    dated: LRU[str, corridor.Network] = LRU(8)

    def network_on(as_of: str | None) -> corridor.Network:
        """The served network as it stood on `as_of` (Network.as_of, the CLI's rule)."""
        if as_of is None or not as_of.strip():
            return net
        key = as_of.strip()
        found = dated.get(key)
        if found is None:
            found = net.as_of(key)
            dated.put(key, found)
        return found

    def node_of(place: str | int, role: str, exact: bool) -> int:
        """Node id of a name; with `exact`, a name one letter off is refused (did you mean)."""
        got = state.lookup(place, role)
        if exact and got.match == "fuzzy":
            raise corridor.UnknownNodeError(
                [str(place)], role=role, suggestions=did_you_mean(state, str(place), got)
            )
        return got.node_id

    def check_profile(profile: str) -> str:
        if profile not in state.profiles:
            raise ServiceError(
                422,
                f"unknown profile {profile!r}; choose one of {sorted(state.profiles)}",
                "ValidationError",
                field="profile",
            )
        return profile

    def cached(key: tuple[Any, ...], model: type[M], build: Callable[[], dict[str, Any]]) -> bytes:
        body = state.responses.get(key)
        if body is None:
            data = build()
            body = model.model_validate(data).model_dump_json(by_alias=True).encode()
            state.responses.put(key, body)
        return body

    async def fast(kind: str, req: BaseModel, slow: Callable[[], Response]) -> Response:
        """Answer a request seen before from the event loop; else compute in a worker thread
        (503 if it takes longer than ``request_timeout_s``)."""
        raw = (kind, req.model_dump_json())
        body = state.raw_responses.get(raw)
        if body is not None:
            return _json(body)
        try:
            work = anyio.to_thread.run_sync(slow, abandon_on_cancel=True)
            resp = await asyncio.wait_for(work, cfg.request_timeout_s)
        except TimeoutError:
            raise ServiceError(
                503,
                f"the search took longer than {cfg.request_timeout_s:g} s; try again later "
                "(it may then be cached) or ask for less",
                "Timeout",
            ) from None
        state.raw_responses.put(raw, bytes(resp.body))
        return resp

    # -- API ---------------------------------------------------------------------------
    counts = corridor.network_summary(net)  # the counts `corridor info` prints

    health_body = (
        HealthResponse(
            status="ok",
            network=net.name,
            nodes=counts["nodes"],
            links=counts["links"],
            crossings=counts["crossings"],
            airports=counts["airports"],
            airport_passport_controls=counts["airport_passport_controls"],
            crossing_rows=counts["crossing_rows"],
            turn_restrictions=counts["turn_restrictions"],
            bbox=state.bbox,
        )
        .model_dump_json()
        .encode()
    )

    @app.get("/api/health", response_model=HealthResponse)
    async def health() -> Response:
        # documents the answer; requests get the same bytes from the gate, ahead of the app
        return _json(health_body)

    @app.get("/api/places", response_model=PlacesResponse, responses=_ERRORS)
    def places(
        q: str = Query(min_length=1, max_length=80, description="Prefix of any name."),
        limit: int = Query(10, ge=1, le=50),
    ) -> PlacesResponse:
        found = state.places.search(q, limit=limit)
        key = corridor.name_key(q)
        out = []
        for row in found.to_dict(orient="records"):
            alts = [a.strip() for a in str(row["alt_names"]).split(";") if a.strip()]
            names = [str(row["name"]), *alts]
            matched = next(
                (n for n in names if corridor.name_key(n).startswith(key)),
                str(row["name"]),
            )
            out.append(
                {
                    "node_id": int(row["node_id"]),
                    "name": str(row["name"]),
                    "matched": matched,
                    "alt_names": alts,
                    "kind": str(row["kind"]),
                    "country": str(row["country"]),
                    "population": _finite(row["population"]) or 0.0,
                    "lon": float(row["lon"]),
                    "lat": float(row["lat"]),
                }
            )
        return PlacesResponse.model_validate({"query": q, "places": out})

    @app.get("/api/resolve", response_model=ResolvedOut, responses=_ERRORS)
    def resolve_place(
        q: str = Query(min_length=1, max_length=80, description="A place name or node id."),
        role: str = Query("place", max_length=20, description="For messages: origin, ..."),
        exact: bool = Query(
            False, description="Refuse a name one letter off (404: did you mean ...)."
        ),
    ) -> ResolvedOut:
        """How a name resolves, as /api/route reports it (404 with the reason if refused)."""
        node_of(q, role, exact)
        return ResolvedOut.model_validate(state.lookup(q, role).to_dict())

    @app.get("/api/profiles", response_model=ProfilesResponse)
    def profiles() -> ProfilesResponse:
        return ProfilesResponse.model_validate(
            {
                "profiles": [
                    {"id": p.id, "name": p.name, "kind": p.kind, "modes": list(p.modes)}
                    for p in state.profiles.values()
                ]
            }
        )

    @app.post("/api/route", response_model=RouteOut, responses=_ERRORS)
    async def route(req: RouteRequest) -> Response:
        return await fast("route", req, lambda: route_sync(req))

    def resolved(origin: str | int, destination: str | int) -> dict[str, Any]:
        return {
            "origin": state.lookup(origin, "origin").to_dict(),
            "destination": state.lookup(destination, "destination").to_dict(),
        }

    def route_sync(req: RouteRequest) -> Response:
        o = node_of(req.origin, "origin", req.exact_names)
        d = node_of(req.destination, "destination", req.exact_names)
        on = network_on(req.as_of)
        prof = None if req.profile is None else check_profile(req.profile)
        goal = corridor.defaults.objective(req.optimize, prof)
        # `resolved` echoes the names asked for, so they are part of the key
        key = (
            "route",
            o,
            d,
            prof,
            goal,
            req.modes,
            req.depart,
            str(req.origin),
            str(req.destination),
            on.name,
        )

        def build() -> dict[str, Any]:
            r = corridor.route(
                on, o, d, profile=prof, optimize=goal, modes=req.modes, depart=req.depart
            )
            return {
                **state.route_json(r),
                "resolved": resolved(req.origin, req.destination),
                "as_of": _date(on),
            }

        return _json(cached(key, RouteOut, build))

    @app.post("/api/routes", response_model=RouteSetOut, responses=_ERRORS)
    async def routes(req: RoutesRequest) -> Response:
        return await fast("routes", req, lambda: routes_sync(req))

    def routes_sync(req: RoutesRequest) -> Response:
        if req.k > cfg.max_alternatives:
            raise ServiceError(
                422, f"k={req.k}: at most {cfg.max_alternatives} alternatives", "ValidationError"
            )
        o = node_of(req.origin, "origin", req.exact_names)
        d = node_of(req.destination, "destination", req.exact_names)
        on = network_on(req.as_of)
        prof = check_profile(req.profile)
        key: tuple[Any, ...] = ("routes", o, d, prof, req.method, req.k, req.optimize)
        key += (req.max_similarity, req.tolerance, req.modes, req.depart)
        key += (str(req.origin), str(req.destination), on.name)

        def build() -> dict[str, Any]:
            if req.method == "pareto":
                rs = corridor.pareto(
                    on,
                    o,
                    d,
                    profile=prof,
                    modes=req.modes,
                    tolerance=req.tolerance,
                    depart=req.depart,
                )
                found = list(rs.routes)[: cfg.max_alternatives * 4]
            else:
                rs = corridor.alternatives(
                    on,
                    o,
                    d,
                    profile=prof,
                    k=req.k,
                    optimize=req.optimize,
                    max_similarity=req.max_similarity,
                    modes=req.modes,
                    depart=req.depart,
                )
                found = list(rs.routes)
            out = rs.to_dict()
            if req.method != "pareto":
                out["asked"] = req.k
                out["note"] = corridor.defaults.fewer_alternatives(
                    len(found), req.k, req.max_similarity
                )
            out["routes"] = [{**state.route_json(r), "as_of": _date(on)} for r in found]
            out["values"] = out.get("values", [])[: len(found)]
            out["resolved"] = resolved(req.origin, req.destination)
            return out

        return _json(cached(key, RouteSetOut, build))

    @app.post("/api/tcd", response_model=TcdResponse, responses=_ERRORS)
    async def tcd(req: TcdRequest) -> Response:
        return await fast("tcd", req, lambda: tcd_sync(req))

    def tcd_sync(req: TcdRequest) -> Response:
        o = node_of(req.origin, "origin", req.exact_names)
        d = node_of(req.destination, "destination", req.exact_names)
        on = network_on(req.as_of)
        profs = tuple(check_profile(p) for p in req.profiles)
        key = ("tcd", o, d, profs, req.optimize, req.depart, on.name)

        def build() -> dict[str, Any]:
            t = corridor.tcd(on, o, d, profiles=profs, optimize=req.optimize, depart=req.depart)
            return {
                "routes": [state.route_json(r) for r in t.routes],
                "table": records(t.table.round(4)),
            }

        return _json(cached(key, TcdResponse, build))

    @app.post("/api/isochrone", response_model=IsochroneResponse, responses=_ERRORS)
    async def isochrone(req: IsochroneRequest) -> Response:
        return await fast("isochrone", req, lambda: isochrone_sync(req))

    def isochrone_sync(req: IsochroneRequest) -> Response:
        hs = req.hours
        if len(hs) > cfg.max_isochrone_bands:
            raise ServiceError(
                422, f"at most {cfg.max_isochrone_bands} thresholds", "ValidationError"
            )
        if not all(math.isfinite(h) and 0 < h <= cfg.max_isochrone_h for h in hs):
            raise ServiceError(
                422,
                f"hours must be > 0 and <= {cfg.max_isochrone_h:g}, got {hs}",
                "ValidationError",
            )
        o = node_of(req.origin, "origin", req.exact_names)
        on = network_on(req.as_of)
        prof = None if req.profile is None else check_profile(req.profile)
        key = ("isochrone", o, tuple(sorted(set(hs))), req.modes, prof, on.name)
        return _json(
            cached(key, IsochroneResponse, lambda: state.isochrone(o, hs, req.modes, prof, on))
        )

    @app.get("/api/scenarios", response_model=ScenariosResponse)
    def scenario_list() -> ScenariosResponse:
        return ScenariosResponse.model_validate(
            {
                "scenarios": [
                    {
                        "name": s.name,
                        "description": s.description,
                        "base": s.base,
                        "edits": len(s.edits),
                    }
                    for s in scenarios.values()
                ]
            }
        )

    @app.post("/api/compare", response_model=CompareResponse, responses=_ERRORS)
    def compare(req: CompareRequest) -> Response:
        for name in (req.base, req.other):
            if name not in scenarios:
                raise ServiceError(
                    404,
                    f"no bundled scenario {name!r}; choose one of {sorted(scenarios)}",
                    "UnknownScenario",
                )
        key: tuple[Any, ...] = (req.base, req.other, tuple(req.places or ()), tuple(req.profiles))
        key += (req.top, req.flows)
        body = comparisons.get(key)
        if body is not None:
            return _json(body)
        with compare_lock(key):
            body = comparisons.get(key)
            if body is None:
                body = _compare(state, scenarios, req, cfg)
                comparisons.put(key, body)
        return _json(body)

    validation: dict[str, bytes] = {}
    validation_lock = threading.Lock()

    @app.get("/api/validate", response_model=ValidateResponse)
    def validate() -> Response:
        with validation_lock:  # one run per app: about 5 s on the embedded network
            if "body" not in validation:
                data = corridor.validate_published(net).to_dict()
                body = ValidateResponse.model_validate(data).model_dump_json()
                validation["body"] = body.encode()
        return _json(validation["body"])

    @app.get("/api/network.geojson")
    def network_geojson() -> Response:
        return Response(content=state.network_geojson, media_type="application/geo+json")

    @app.get("/api/outlines.geojson")
    def outlines_geojson() -> Response:
        return Response(content=outlines, media_type="application/geo+json")

    # -- the one palette (corridor.report.palette), read by the page before app.js ------
    @app.get("/api/palette")
    def palette() -> dict[str, Any]:
        """Every colour of the report, charts and maps (modes, changes, gains and losses)."""
        return corridor.palette_dict()

    @app.get("/palette.js", include_in_schema=False)
    def palette_js() -> Response:
        body = f"window.CORRIDOR_PALETTE = {json.dumps(corridor.palette_dict())};\n"
        return Response(content=body, media_type="text/javascript")

    # -- page --------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    mount_docs(app, swagger_dir(cfg.maplibre_dir), "corridor")
    if (cfg.maplibre_dir / "maplibre-gl.js").is_file():
        app.mount("/vendor/maplibre", StaticFiles(directory=cfg.maplibre_dir), name="maplibre")
    else:
        log.warning("MapLibre GL JS not found in %s: run `make web`", cfg.maplibre_dir)

        @app.get("/vendor/maplibre/{name}", include_in_schema=False)
        def no_maplibre(name: str) -> JSONResponse:
            return _error(
                503,
                "MapLibreMissing",
                f"MapLibre GL JS is not installed in {cfg.maplibre_dir}: run `make web` "
                "(npm ci in web/) and restart",
            )

    # innermost of ours: refused (413, 429) requests never take a slot, health gets CORS
    app.add_middleware(
        ConcurrencyGate,
        limit=cfg.max_concurrent_requests,
        timeout_s=cfg.request_timeout_s,
        fixed={"/api/health": health_body},
        # seconds each (a comparison, the published-figures check): a pool of their own
        slow=frozenset({"/api/compare", "/api/validate"}),
        slow_limit=max(1, cfg.max_concurrent_requests // 2),
    )
    if cfg.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cfg.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
        )
    if cfg.rate_per_s > 0:
        buckets = TokenBuckets(cfg.rate_per_s, cfg.rate_burst, cfg.max_clients)
        app.state.buckets = buckets
        app.add_middleware(RateLimit, buckets=buckets, key=cfg.rate_key)
    app.add_middleware(BodySizeLimit, max_bytes=cfg.max_body_bytes)
    app.add_middleware(_Timing)
    return app


class _Timing:
    """Adds ``server-timing: app;dur=<ms>`` (time to the response's first byte)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()

        async def timed(msg: Any) -> None:
            if msg["type"] == "http.response.start":
                ms = (time.perf_counter() - t0) * 1000.0
                msg.setdefault("headers", [])
                msg["headers"] = [*msg["headers"], (b"server-timing", f"app;dur={ms:.2f}".encode())]
            await send(msg)

        await self.app(scope, receive, timed)


def _compare(
    state: NetworkState,
    scenarios: dict[str, corridor.Scenario],
    req: CompareRequest,
    cfg: ServiceSettings,
) -> bytes:
    """The comparison `corridor scenario compare` makes with the same options."""
    net = state.network
    base, other = req.base, req.other
    before = scenarios[base].apply(net)
    after = scenarios[other].apply(net)
    opts = corridor.CompareOptions(
        places=tuple(req.places) if req.places else None,
        n_places=cfg.compare_places,
        profiles=tuple(req.profiles),
        top_changes=req.top,
        flows=corridor.CompareOptions().flows if req.flows else None,
    )
    t0 = time.perf_counter()
    c = corridor.compare(before, after, options=opts)
    log.info("compare %s -> %s in %.1f s", base, other, time.perf_counter() - t0)
    feats, summary = diff_networks(state, before, after)
    by_place = c.by_place
    for row in by_place.to_dict(orient="records"):
        lon, lat = state.node_xy[int(row["node_id"])]
        props = {
            "kind": "place",
            "change": "place",
            "name": str(row["place"]),
            "mean_d_time_h": _finite(row.get("mean_d_time_h")),
            "d_pop_within_24h": _finite(row.get("d_pop_within_24h")),
        }
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props,
            }
        )
    head = c.headline()
    cols = [
        "profile",
        "origin",
        "destination",
        "time_h_before",
        "time_h_after",
        "d_time_h",
        "cost_usd_before",
        "cost_usd_after",
        "d_cost_usd",
        "co2_kg_before",
        "co2_kg_after",
        "crossings_before",
        "crossings_after",
    ]
    data = {
        "base": base,
        "other": other,
        "places": len(by_place),
        "headline": records(head[[x for x in cols if x in head.columns]].round(3)),
        "by_country": records(c.by_country.round(3)),
        "by_place": records(by_place.round(3)),
        "changes": {"type": "FeatureCollection", "features": feats},
        "summary": summary,
    }
    return CompareResponse.model_validate(data).model_dump_json().encode()


def _date(network: corridor.Network) -> str | None:
    return None if network.date is None else str(network.date.date())


def did_you_mean(state: NetworkState, query: str, got: corridor.Resolution) -> list[str]:
    """Names to offer for `query`: the closest spelling first, then the gazetteer's."""
    names = [got.place.name, *state.places.suggest(query)]
    return list(dict.fromkeys(names))[:5]


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None
