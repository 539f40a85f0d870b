"""Country outlines for the map: a curation step run by hand, not part of the build."""

from __future__ import annotations

from pathlib import Path

__all__ = ["build_outlines"]


def build_outlines(
    countries_zip: str | Path, out: str | Path, *, tolerance_deg: float = 0.05
) -> Path:
    """Write simplified Natural Earth country outlines for the map (curation step).

    Reads ``ne_10m_admin_0_countries.zip`` (public domain), clips it to the corridor region
    (0-150 E, 0-75 N), simplifies with `tolerance_deg` and rounds to 0.01 degree.

    Returns
    -------
    Path
        The GeoJSON file written.
    """
    import json

    import geopandas as gpd
    import shapely

    frame = gpd.read_file(countries_zip)
    box = shapely.box(0.0, 0.0, 150.0, 75.0)
    features = []
    for iso, name, geom in zip(frame["ISO_A2_EH"], frame["NAME"], frame.geometry, strict=True):
        if geom is None or not geom.intersects(box):
            continue
        part = shapely.set_precision(
            geom.intersection(box).simplify(tolerance_deg, preserve_topology=True), 0.01
        )
        if part.is_empty or part.area < 0.02:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": str(iso), "name": str(name)},
                "geometry": shapely.geometry.mapping(part),
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso_a2"], f["properties"]["name"]))
    doc = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin 0 countries (public domain), simplified",
        "features": features,
    }
    target = Path(out)
    target.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return target
