"""The one palette of corridor: report, PNG charts, ``corridor map`` and the web map.

Every colour a reader sees comes from here, so a road is the same orange and a loss the
same red in the HTML report, the matplotlib charts and maps, the SVG network map and the
web planner (which reads :func:`palette_dict` from ``/api/palette`` / ``/palette.js``).

Choices (all [assumption]: design choices, checked for colour-vision deficiency against
the sources named):

* **modes**: the Okabe-Ito qualitative set (Okabe & Ito 2008, "Color Universal Design",
  https://jfly.uni-koeln.de/color/), which stays distinct under deuteranopia and protanopia;
* **gain / loss**: the two ends of ColorBrewer's diverging RdBu (Brewer 2003,
  https://colorbrewer2.org): blue = better (a saving, a gain in reach), red = worse;
  the middle of the scale is a light grey, never white on white;
* **more / less** (a load or a flow that rises or falls, neither good nor bad in itself):
  the ends of ColorBrewer's PuOr, orange = more, purple = less;
* **link changes**: improvements in the gain family, worsening in the loss family, toll
  changes purple, as in the web planner's legend.
"""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

__all__ = [
    "AFTER",
    "BEFORE",
    "CHANGE_COLOURS",
    "DIVERGING",
    "GAIN",
    "LESS",
    "LOSS",
    "MODE_COLOURS",
    "MORE",
    "NEUTRAL",
    "STOP_COLOURS",
    "change_colour",
    "palette_dict",
    "palette_js",
]

MODE_COLOURS = MappingProxyType(
    {
        "road": "#e69f00",  # Okabe-Ito orange
        "rail": "#0072b2",  # Okabe-Ito blue
        "ferry": "#56b4e9",  # Okabe-Ito sky blue
        "air": "#cc79a7",  # Okabe-Ito reddish purple
        "transfer": "#999999",
    }
)
"""Colour of each mode's links and legs."""

GAIN = "#2166ac"
"""Better after the change: a saving in time or money, more people within reach."""
LOSS = "#b2182b"
"""Worse after the change."""
NEUTRAL = "#bababa"
"""No change, or a change below the tolerance."""
MORE = "#e08214"
"""More of a load or flow (neither good nor bad in itself)."""
LESS = "#8073ac"
"""Less of a load or flow."""
BEFORE = "#4d4d4d"
"""A route or value before the change (dark grey, dashed on maps)."""
AFTER = "#1b7837"
"""A route or value after the change (green, solid on maps)."""

DIVERGING = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
"""ColorBrewer RdBu, 7 classes, from loss (red) to gain (blue)."""

CHANGE_COLOURS = MappingProxyType(
    {
        "added": "#2166ac",
        "reopened": "#4393c3",
        "faster": "#67a9cf",
        "closed": "#b2182b",
        "slower": "#ef8a62",
        "toll_changed": "#762a83",
        "crossing": "#d6604d",
    }
)
"""Colour of a changed link by its kind (:class:`corridor.LinkChange`), and of a changed
border crossing."""

ALTERNATIVES = ("#6a3d9a", "#1b1b1b", "#a6761d", "#66a61e", "#999933", "#e6ab02")
"""Colours of alternative routes (and of the routes of a time/cost-distance chart): apart
from the modes' colours, purple first [assumption: from ColorBrewer Dark2/Paired]."""

BANDS = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027", "#7f0000")
"""Isochrone bands, nearest first: ColorBrewer RdYlGn (6) from green to red, then dark red."""

UNREACHED = "#bbbbbb"
"""A place beyond every band, or one that cannot be reached."""

STOP_COLOURS = MappingProxyType(
    {
        "border_crossing": "#b2182b",
        "gauge_change": "#762a83",
        "transfer": "#e69f00",
        "terminal": "#222222",
    }
)
"""Colour of a stop marker by its kind."""


def change_colour(value: float, *, better_when_negative: bool = True) -> str:
    """The gain or loss colour of a signed change.

    Parameters
    ----------
    value
        The change (after minus before).
    better_when_negative
        True for times and costs (a fall is a gain), False for reach or benefits.

    Returns
    -------
    str
        :data:`GAIN`, :data:`LOSS`, or :data:`NEUTRAL` for zero or NaN.

    Examples
    --------
    >>> change_colour(-2.0) == GAIN, change_colour(3.0) == LOSS, change_colour(0.0) == NEUTRAL
    (True, True, True)
    >>> change_colour(5.0, better_when_negative=False) == GAIN
    True
    """
    if not value or value != value:
        return NEUTRAL
    better = value < 0 if better_when_negative else value > 0
    return GAIN if better else LOSS


def palette_dict() -> dict[str, Any]:
    """Every colour as plain JSON-ready data (the web planner's source of colours).

    Returns
    -------
    dict
        ``mode``, ``change`` (with ``toll`` as a short name of ``toll_changed``), ``stop``
        (name -> colour), ``gain``, ``loss``, ``neutral``, ``more``, ``less``, ``before``,
        ``after``, ``unreached``, and the lists ``diverging`` (loss to gain),
        ``alternatives`` and ``bands`` (isochrones, nearest first).
    """
    return {
        "mode": dict(MODE_COLOURS),
        "change": {**CHANGE_COLOURS, "toll": CHANGE_COLOURS["toll_changed"]},
        "stop": dict(STOP_COLOURS),
        "gain": GAIN,
        "loss": LOSS,
        "neutral": NEUTRAL,
        "more": MORE,
        "less": LESS,
        "before": BEFORE,
        "after": AFTER,
        "diverging": list(DIVERGING),
        "alternatives": list(ALTERNATIVES),
        "bands": list(BANDS),
        "unreached": UNREACHED,
    }


def palette_js() -> str:
    """The palette as a JavaScript statement setting ``window.CORRIDOR_PALETTE``.

    Examples
    --------
    >>> palette_js().startswith("window.CORRIDOR_PALETTE = {")
    True
    """
    return f"window.CORRIDOR_PALETTE = {json.dumps(palette_dict(), sort_keys=True)};\n"
