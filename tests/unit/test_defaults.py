"""corridor.defaults: the shared objective rule and the one error object."""

from __future__ import annotations

import corridor
from corridor import defaults


def test_objective_rule() -> None:
    assert defaults.objective(None, None) == "time"
    assert defaults.objective(None, "car") == "generalized"
    assert defaults.objective("cost", "car") == "cost"
    assert defaults.objective(corridor.Optimize.CO2, None) == "co2"


def test_error_object_of_an_unknown_place() -> None:
    exc = corridor.UnknownNodeError(["Moskvaa"], role="origin", suggestions=["Moscow"])
    body = corridor.error_object(exc)
    assert body["code"] == "unknown_node" and body["field"] == "origin"
    assert body["status"] == 404 and body["suggestions"] == ["Moscow"]
    assert body["hint"] == "did you mean Moscow?"
    assert body["error"] == body["message"] == str(exc)


def test_error_object_of_other_errors() -> None:
    v = corridor.error_object(corridor.ValidationError("bad date; use YYYY-MM-DD"))
    assert (v["code"], v["status"], v["hint"]) == ("validation", 422, "use YYYY-MM-DD")
    d = corridor.error_object(corridor.DataSourceError("net.gpkg", "no links layer"))
    assert (d["code"], d["field"], d["status"]) == ("data_source", "net.gpkg", 400)
    n = corridor.error_object(corridor.NoPathError("no path"), field="mode")
    assert (n["code"], n["field"], n["status"]) == ("no_path", "mode", 404)
    assert n["hint"]  # a default hint for every refusal of a route
