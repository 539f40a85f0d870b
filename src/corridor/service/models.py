"""Pydantic models of every request and response of the web service."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from corridor import defaults

__all__ = [
    "CompareRequest",
    "CompareResponse",
    "ErrorResponse",
    "HealthResponse",
    "IsochroneBand",
    "IsochroneRequest",
    "IsochroneResponse",
    "LegOut",
    "PlaceOut",
    "PlacesResponse",
    "ProfileOut",
    "ProfilesResponse",
    "RouteOut",
    "RouteRequest",
    "RouteSetOut",
    "RoutesRequest",
    "ScenarioOut",
    "ScenariosResponse",
    "StopOut",
    "TcdRequest",
    "TcdResponse",
    "ValidateResponse",
    "ValidationFigureOut",
]

Optimize = Literal["time", "distance", "cost", "co2", "generalized"]
Modes = Literal["any", "road", "rail", "ferry", "air"]
MAX_PLACE_CHARS = 200
"""Longest place name or id in a request (as :data:`corridor.model.lookup.MAX_NAME_CHARS`):
longer input is refused before any name matching, so matching stays cheap."""
PlaceName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PLACE_CHARS)]
NodeId = Annotated[int, Field(ge=0, lt=2**63)]
Place = PlaceName | NodeId
_NAME = Field(min_length=1, max_length=120)


def _lone_surrogate(value: object) -> bool:
    """Whether a string anywhere in `value` holds a lone surrogate (not encodable as UTF-8)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any(0xD800 <= ord(c) <= 0xDFFF for c in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _utf8(cls, data: Any) -> Any:
        """Refuse text that is not Unicode (a lone surrogate such as "\\ud800")."""
        if _lone_surrogate(data):
            raise ValueError("text holds a lone surrogate (e.g. \\ud800); send valid Unicode")
        return data


class _PlaceRequest(_Request):
    """A request naming places on the network of a day: ``as_of`` and ``exact_names``."""

    as_of: str | None = Field(
        default=None,
        max_length=40,
        examples=["2020-06-01"],
        description="Answer on the network as it stood that day (links and crossings by "
        "their opened/closed dates, as `--as-of` on the CLI); default: the served network.",
    )
    exact_names: bool = Field(
        default=False,
        description="Refuse a name one letter off a place (404 with `suggestions`: did you "
        "mean ...) instead of taking the closest spelling.",
    )


class ErrorResponse(BaseModel):
    """Every error: a sentence a person understands, its type and the HTTP status.

    The same object the CLI prints with ``--json`` (:func:`corridor.error_object`).
    """

    error: str = Field(description="The message (kept for older clients; = message).")
    code: str = Field(description="snake_case kind: unknown_node, no_path, validation, ...")
    message: str
    field: str | None = Field(default=None, description="The option or field at fault.")
    hint: str | None = Field(default=None, description="How to fix it, when known.")
    type: str
    status: int
    suggestions: list[str] = []


class HealthResponse(BaseModel):
    status: Literal["ok"]
    network: str
    nodes: int
    links: int
    crossings: int = Field(description="Land border-crossing places (as `corridor info` counts).")
    airports: int = Field(description="Airports with an access link.")
    airport_passport_controls: int = Field(description="Passport controls at arrival airports.")
    crossing_rows: int = Field(description="Rows of the crossings table: crossing x mode x way.")
    turn_restrictions: int
    bbox: tuple[float, float, float, float]


class PlaceOut(BaseModel):
    node_id: int
    name: str
    matched: str = Field(description="The name or alternate name that matched the prefix.")
    alt_names: list[str]
    kind: str
    country: str
    population: float
    lon: float
    lat: float


class PlacesResponse(BaseModel):
    query: str
    places: list[PlaceOut]


class ProfileOut(BaseModel):
    id: str
    name: str
    kind: str
    modes: list[str]


class ProfilesResponse(BaseModel):
    profiles: list[ProfileOut]


class RouteRequest(_PlaceRequest):
    """One least-cost route."""

    origin: Place = Field(description="Place name (any alternate name) or node id.")
    destination: Place
    profile: str | None = Field(
        default=None, max_length=40, description="Built-in profile id (see /api/profiles)."
    )
    optimize: Optimize | None = Field(
        default=None, description="Default: generalized with a profile, time without one."
    )
    modes: Modes = "any"
    depart: str | None = Field(default=None, max_length=40, examples=["2026-12-01T08:00"])


class RoutesRequest(_PlaceRequest):
    """Alternatives (penalty method) or the Pareto set over time, cost and CO2."""

    origin: Place
    destination: Place
    profile: str = Field(max_length=40)
    method: Literal["alternatives", "pareto"] = "alternatives"
    k: int = Field(
        default=defaults.ALTERNATIVES,
        ge=1,
        description="How many alternatives (at most the limit).",
    )
    optimize: Optimize = defaults.OBJECTIVE_WITH_PROFILE  # type: ignore[assignment]
    max_similarity: float = Field(default=defaults.MAX_SIMILARITY, ge=0.0, le=1.0)
    tolerance: float = Field(
        default=defaults.PARETO_TOLERANCE, ge=0.0, le=0.5, description="Pareto tolerance."
    )
    modes: Modes = "any"
    depart: str | None = Field(default=None, max_length=40)


class TcdRequest(_PlaceRequest):
    """Time/cost-distance chart data: one route per profile."""

    origin: Place
    destination: Place
    profiles: list[str] = Field(default=list(defaults.TCD_PROFILES), min_length=1, max_length=4)
    optimize: Optimize = defaults.TCD_OBJECTIVE  # type: ignore[assignment]
    depart: str | None = Field(default=None, max_length=40)


class IsochroneRequest(_PlaceRequest):
    """Travel time from one place to every node, in bands (free-flow, or a profile's)."""

    origin: Place
    hours: list[float] = Field(default=list(defaults.ISOCHRONE_HOURS), min_length=1)
    modes: Modes = "road"
    profile: str | None = Field(
        default=None,
        max_length=40,
        description="Time routes for this profile (crossings, breaks and rests included);"
        " default: free-flow link times.",
    )


class CompareRequest(_Request):
    """Two bundled scenarios applied to the served network."""

    base: str = Field(max_length=60, examples=["m12-before"])
    other: str = Field(max_length=60, examples=["m12-east"])
    places: list[str] | None = Field(
        default=None,
        max_length=200,
        description="OD places (as `scenario compare --places`); default: the "
        f"{defaults.COMPARE_PLACES} largest served cities plus the corridor ends.",
    )
    profiles: list[str] = Field(default=list(defaults.COMPARE_PROFILES), min_length=1, max_length=8)
    top: int = Field(default=defaults.COMPARE_TOP_CHANGES, ge=0, le=100)
    flows: bool = Field(default=True, description="Include the freight-flow comparison.")


class LegOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    from_node: int
    to_node: int
    mode: str
    ref: str
    name: str
    length_km: float
    time_h: float
    cost_usd: float | None
    co2_kg: float | None
    rest_h: float
    breaks_h: float = 0.0
    overnight_h: float = 0.0
    start_km: float
    link_ids: list[int]


class StopOut(BaseModel):
    kind: str
    node_id: int
    name: str
    at_km: float
    time_h: float
    cost_usd: float
    wait_h: float
    detail: str
    formalities: str = ""
    delay_p10_h: float | None
    delay_p90_h: float | None
    arrive: str | None
    lon: float
    lat: float


class CandidateOut(BaseModel):
    """A place a name matched: a node (``node_id``) or a GeoNames town outside the network."""

    node_id: int | None
    name: str
    key: str
    kind: str
    country: str
    population: int
    lat: float
    lon: float
    geonameid: int
    in_network: bool


class ResolvedOut(BaseModel):
    """How a place name resolved (:meth:`corridor.Resolution.to_dict`)."""

    query: str
    node_id: int
    name: str
    key: str
    kind: str
    country: str
    population: int
    match: str = Field(description="exact | alternate | qualified | fuzzy | id")
    note: str = Field(description="One line when the answer needs saying, else empty.")
    candidates: list[CandidateOut] = Field(
        description="Every place of that name: the chosen first, then other network "
        "places, then GeoNames towns outside the network."
    )


class ResolvedPair(BaseModel):
    origin: ResolvedOut
    destination: ResolvedOut


class RouteOut(BaseModel):
    """A route as :meth:`corridor.Route.to_dict` gives it, plus GeoJSON for the map."""

    origin: dict[str, Any]
    destination: dict[str, Any]
    optimize: str
    profile: str | None
    depart: str | None
    arrive: str | None
    time_definition: str = Field(
        default="",
        description="What totals.time_h counts: door to door for freight; for travellers "
        "driving, breaks, stops and waits, with overnight stops apart in overnight_h.",
    )
    totals: dict[str, float | None]
    legs: list[LegOut]
    stops: list[StopOut]
    node_ids: list[int]
    geometry: dict[str, Any]
    features: dict[str, Any] = Field(
        description="GeoJSON FeatureCollection: one LineString per leg (mode, seq) and one "
        "Point per stop (kind: border_crossing, gauge_change, transfer, terminal)."
    )
    resolved: ResolvedPair | None = Field(
        default=None, description="How the origin and destination names resolved."
    )
    as_of: str | None = Field(default=None, description="The date of the network used.")


class RouteSetOut(BaseModel):
    routes: list[RouteOut]
    method: str
    complete: bool
    criteria: list[str] = []
    values: list[list[float]] = []
    resolved: ResolvedPair | None = None
    asked: int | None = Field(default=None, description="Alternatives asked (k).")
    note: str = Field(default="", description="Why fewer alternatives than asked, if so.")


class TcdResponse(BaseModel):
    routes: list[RouteOut]
    table: list[dict[str, Any]] = Field(
        description="Rows: route, step, kind (start/link/node), label, mode, distance_km, "
        "time_h, cost_usd and their cumulative sums."
    )


class IsochroneBand(BaseModel):
    hours: float
    nodes: int
    population: float


class IsochroneResponse(BaseModel):
    origin: dict[str, Any]
    modes: list[str]
    profile: str | None = None
    time_definition: str = Field(default="", description="What time_h counts, in words.")
    hours: list[float]
    bands: list[IsochroneBand]
    unreachable: int
    features: dict[str, Any] = Field(
        description="GeoJSON: links (band = index of the first threshold both ends are "
        "within, -1 if none) and nodes (time_h, band)."
    )
    polygons: dict[str, Any] | None = Field(
        default=None,
        description="GeoJSON: the area within each threshold (kind band, band, within_h, "
        "nodes, population), one (Multi)Polygon per threshold, nested.",
    )
    as_of: str | None = Field(default=None, description="The date of the network used.")
    area_definition: str = Field(default="", description="How the band areas are drawn.")


class ScenarioOut(BaseModel):
    name: str
    description: str
    base: str
    edits: int


class ScenariosResponse(BaseModel):
    scenarios: list[ScenarioOut]


class CompareResponse(BaseModel):
    base: str
    other: str
    places: int
    headline: list[dict[str, Any]]
    by_country: list[dict[str, Any]]
    by_place: list[dict[str, Any]]
    changes: dict[str, Any] = Field(
        description="GeoJSON: links whose state differs (change: added, closed, reopened, "
        "faster, slower, toll) and places with their accessibility change."
    )
    summary: dict[str, int]


class ValidationBandOut(BaseModel):
    low: float
    high: float
    why: str


class ValidationFigureOut(BaseModel):
    id: str
    what: str
    query: dict[str, Any]
    published: float
    band: ValidationBandOut
    observed: float | None
    deviation_pct: float | None
    status: Literal["pass", "miss", "known", "known-passes"]
    date: str
    source: str
    note: str
    known_discrepancy: str | None
    route: str
    problem: str


class ValidateResponse(BaseModel):
    network: str
    summary: str = Field(description="The answer in words, e.g. '31 of 56 figures within ...'")
    ok: bool = Field(description="False if any figure is a miss")
    counts: dict[str, int]
    by_metric: dict[str, dict[str, int]] = Field(
        description="Per metric: figures within their band and figures"
    )
    now_passing: list[str] = Field(
        description="Figures marked as known discrepancies that now pass (remove the mark)"
    )
    figures: list[ValidationFigureOut]
