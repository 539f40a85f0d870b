"""``/docs``: Swagger UI served from the npm package ``swagger-ui-dist`` (no CDN).

``make web`` (``npm ci`` in ``web/``) installs it next to MapLibre GL JS; without it
``/docs`` answers 503 saying so, and ``/openapi.json`` still works.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["mount_docs", "swagger_dir"]

log = logging.getLogger(__name__)

_PREFIX = "/vendor/swagger"


def swagger_dir(maplibre_dir: Path) -> Path:
    """``web/node_modules/swagger-ui-dist``, beside MapLibre's ``maplibre-gl/dist``."""
    return maplibre_dir.resolve().parents[1] / "swagger-ui-dist"


def mount_docs(app: FastAPI, folder: Path, title: str) -> None:
    """Add ``/docs`` (Swagger UI of ``/openapi.json``) and its assets under ``/vendor/swagger``.

    Parameters
    ----------
    app
        The service.
    folder
        The ``swagger-ui-dist`` package folder.
    title
        Page title.
    """
    if (folder / "swagger-ui-bundle.js").is_file():
        app.mount(_PREFIX, StaticFiles(directory=folder), name="swagger")

        @app.get("/docs", include_in_schema=False)
        def docs() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url=app.openapi_url or "/openapi.json",
                title=f"{title} · API",
                swagger_js_url=f"{_PREFIX}/swagger-ui-bundle.js",
                swagger_css_url=f"{_PREFIX}/swagger-ui.css",
                swagger_favicon_url=f"{_PREFIX}/favicon-32x32.png",
                swagger_ui_parameters={"defaultModelsExpandDepth": 0, "tryItOutEnabled": True},
            )

        return
    log.warning("Swagger UI not found in %s: run `make web` for /docs", folder)

    @app.get("/docs", include_in_schema=False)
    def no_docs() -> JSONResponse:
        msg = (
            f"Swagger UI is not installed in {folder}: run `make web` (npm ci in web/) and "
            "restart; the schema is at /openapi.json"
        )
        body: dict[str, object] = {
            "error": msg,
            "code": "docs_missing",
            "message": msg,
            "field": None,
            "hint": "run `make web`",
            "type": "DocsMissing",
            "status": 503,
            "suggestions": [],
        }
        return JSONResponse(body, status_code=503)
