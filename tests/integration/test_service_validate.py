"""`GET /api/validate` gives the library's validation, row for row."""

from __future__ import annotations

import warnings

import pytest

import corridor

pytest.importorskip("fastapi", reason="fastapi is needed for the web service")

from corridor.service import ServiceSettings, create_app


def test_validate_endpoint_matches_the_library() -> None:
    net = corridor.eurasia()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's test client warns about httpx
        from fastapi.testclient import TestClient
    with TestClient(create_app(net, ServiceSettings(rate_per_s=0))) as client:
        res = client.get("/api/validate")
        assert res.status_code == 200
        data = res.json()
        assert client.get("/api/validate").json() == data  # computed once, same bytes
        assert "/api/validate" in client.get("/openapi.json").json()["paths"]
    lib = corridor.validate_published(net).to_dict()
    assert data["summary"] == lib["summary"] and data["ok"] == lib["ok"]
    assert [f["id"] for f in data["figures"]] == [f["id"] for f in lib["figures"]]
    for got, want in zip(data["figures"], lib["figures"], strict=True):
        assert got["status"] == want["status"], got["id"]
        assert got["observed"] == pytest.approx(want["observed"]), got["id"]
        assert got["source"] == want["source"]
