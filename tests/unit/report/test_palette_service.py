"""The web planner reads the one palette: /api/palette and /palette.js serve palette_dict()."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

import corridor
from corridor.report.maps import network_map_html
from corridor.report.palette import MODE_COLOURS, palette_dict
from corridor.service.app import create_app
from corridor.service.settings import ServiceSettings


def test_service_serves_the_palette() -> None:
    app = create_app(corridor.examples.toy(), ServiceSettings(rate_per_s=0))
    with TestClient(app) as client:
        assert client.get("/api/palette").json() == json.loads(json.dumps(palette_dict()))
        js = client.get("/palette.js")
        assert js.status_code == 200 and "javascript" in js.headers["content-type"]
        body = js.text.strip().removeprefix("window.CORRIDOR_PALETTE = ").rstrip(";")
        assert json.loads(body)["mode"] == dict(MODE_COLOURS)
        page = client.get("/").text
        assert page.index("/palette.js") < page.index("/static/app.js")


def test_network_map_uses_the_palette() -> None:
    page = network_map_html(corridor.eurasia())  # the toy network has no link geometry
    assert f'stroke="{MODE_COLOURS["road"]}"' in page
    assert f'stroke="{MODE_COLOURS["rail"]}"' in page
