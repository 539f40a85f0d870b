"""Maps as inline SVG: no tiles, no scripts from elsewhere, readable offline."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["MapFrame", "polyline_path"]


@dataclass(frozen=True, slots=True)
class MapFrame:
    """An equirectangular projection of a lon/lat box onto an SVG canvas.

    x is scaled by cos(mid-latitude) so that shapes keep their proportions near the box.
    """

    lon0: float
    lat0: float
    lon1: float
    lat1: float
    width: int = 1000

    @classmethod
    def around(
        cls, geoms: Iterable[shapely.Geometry], width: int = 1000, pad: float = 0.03
    ) -> MapFrame:
        """The frame around some geometries, with a margin."""
        x0, y0, x1, y1 = shapely.total_bounds(list(geoms))
        dx, dy = (x1 - x0) * pad + 0.5, (y1 - y0) * pad + 0.5
        return cls(x0 - dx, y0 - dy, x1 + dx, y1 + dy, width)

    @property
    def kx(self) -> float:
        """Horizontal squeeze, cos(mid-latitude)."""
        return math.cos(math.radians((self.lat0 + self.lat1) / 2))

    @property
    def height(self) -> int:
        """Canvas height in px."""
        w_deg = (self.lon1 - self.lon0) * self.kx
        return max(1, round(self.width * (self.lat1 - self.lat0) / w_deg))

    def xy(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Canvas coordinates of lon/lat arrays."""
        x = (np.asarray(lon) - self.lon0) / (self.lon1 - self.lon0) * self.width
        y = (self.lat1 - np.asarray(lat)) / (self.lat1 - self.lat0) * self.height
        return x, y

    def box(self) -> shapely.Polygon:
        """The frame as a lon/lat polygon (to clip outlines)."""
        return shapely.box(self.lon0, self.lat0, self.lon1, self.lat1)


def polyline_path(frame: MapFrame, geom: shapely.Geometry) -> str:
    """SVG path data of a (multi)line or (multi)polygon outline."""
    parts: list[str] = []
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        rings: Sequence[shapely.Geometry] = [
            ring
            for poly in getattr(geom, "geoms", [geom])
            for ring in (poly.exterior, *poly.interiors)
        ]
    else:
        rings = list(getattr(geom, "geoms", [geom]))
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        if len(xy) < 2:
            continue
        x, y = frame.xy(xy[:, 0], xy[:, 1])
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))
        parts.append(f"M{pts}")
    return " ".join(parts)


def escape(text: object) -> str:
    """HTML-escape any value."""
    return html.escape(str(text), quote=True)
