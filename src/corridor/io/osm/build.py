"""Streamed ways and nodes -> a Network: segments, clipping, components, contraction.

Ways are cut into segments (consecutive node pairs), clipped to a bounding box or polygon,
optionally reduced to each mode's largest strongly connected component, and then chains of
segments through degree-2 nodes are contracted into links that keep the full geometry and
the summed length (great-circle, at least 1 mm).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.errors import DataSourceError
from corridor.model.network import Network
from corridor.units import haversine_km

from .borders import Gazetteer, node_table
from .options import OsmOptions
from .stream import Ways
from .tags import ATTR_NAMES, default_speed_kmh, parse_maxspeed
from .turns import restriction_members, turn_table

__all__ = ["build_network"]

log = logging.getLogger(__name__)

_MIN_LENGTH_KM = 1e-6


def _incidence(seg_a: IntArray, seg_b: IntArray, n: int) -> tuple[IntArray, IntArray]:
    ends = np.concatenate([seg_a, seg_b])
    segs = np.concatenate([np.arange(seg_a.size), np.arange(seg_b.size)]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(ends, minlength=n), out=ptr[1:])
    return ptr, segs[order]


def _segments(ways: Ways, node_ids: IntArray) -> tuple[IntArray, IntArray, IntArray, BoolArray]:
    """Consecutive node pairs of every way as node indices (way row, ok mask)."""
    refs = np.frombuffer(ways.refs, dtype=np.int64)
    offsets = np.frombuffer(ways.offsets, dtype=np.int64)
    way_of = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    same_way = way_of[:-1] == way_of[1:]
    first = np.flatnonzero(same_way)
    ra, rb = refs[first], refs[first + 1]
    seg_way = way_of[first]
    ia = np.minimum(np.searchsorted(node_ids, ra), max(node_ids.size - 1, 0))
    ib = np.minimum(np.searchsorted(node_ids, rb), max(node_ids.size - 1, 0))
    ok = (node_ids.size > 0) & (node_ids[ia] == ra) & (node_ids[ib] == rb) & (ra != rb)
    return ia.astype(np.int64), ib.astype(np.int64), seg_way.astype(np.int64), ok


def _largest_components(
    seg_a: IntArray, seg_b: IntArray, oneway: BoolArray, mode: np.ndarray, n: int
) -> BoolArray:
    """Segments in the largest strongly connected component of each group (`mode`)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keep = np.zeros(seg_a.size, bool)
    for m in np.unique(mode):
        sel = mode == m
        a, b, one = seg_a[sel], seg_b[sel], oneway[sel]
        rows = np.concatenate([a, b[~one]])
        cols = np.concatenate([b, a[~one]])
        mat = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n)).tocsr()
        _, label = connected_components(mat, directed=True, connection="strong")
        used = np.zeros(n, bool)
        used[a] = used[b] = True
        sizes = np.bincount(label[used])
        best = int(np.argmax(sizes))
        inside = (label[a] == best) & (label[b] == best)
        log.info(
            "%s: largest strongly connected component has %d of %d nodes (%d components)",
            m,
            int(sizes[best]),
            int(used.sum()),
            int((sizes > 0).sum()),
        )
        keep[np.flatnonzero(sel)[inside]] = True
    return keep


def build_network(
    source: Path,
    opts: OsmOptions,
    ways: Ways,
    node_ids: IntArray,
    lon: FloatArray,
    lat: FloatArray,
    border: BoolArray,
    border_names: dict[int, str],
) -> Network:
    import shapely

    n = node_ids.size
    by_key = sorted(ways.attrs.items(), key=lambda item: item[1])
    attr_table = pd.DataFrame([list(attr) for attr, _ in by_key], columns=list(ATTR_NAMES))
    way_attr = np.frombuffer(ways.attr, dtype=np.int64)
    way_ids = np.frombuffer(ways.way_ids, dtype=np.int64)
    seg_a, seg_b, seg_way, ok = _segments(ways, node_ids)
    inside = np.ones(n, bool)
    if opts.bbox is not None:
        x0, y0, x1, y1 = opts.bbox
        inside &= (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    if opts.polygon is not None:
        inside &= shapely.contains_xy(opts.polygon, lon, lat) | shapely.intersects_xy(
            opts.polygon, lon, lat
        )
    ok &= inside[seg_a] & inside[seg_b]
    seg_a, seg_b, seg_way = seg_a[ok], seg_b[ok], seg_way[ok]
    if not seg_a.size:
        raise DataSourceError(
            source, "no road or rail segment lies inside the area; check --bbox / the polygon"
        )
    # countries
    if opts.country is not None:
        node_country = np.full(n, opts.country, dtype=object)
        gaz: Gazetteer | None = None
    else:
        gaz = Gazetteer.load()
        used = np.zeros(n, bool)
        used[seg_a] = used[seg_b] = True
        node_country = np.full(n, "", dtype=object)
        node_country[used] = gaz.nearest(lon[used], lat[used])
    # attributes per segment: way attributes + the country of the way's first kept node
    seg_attr = way_attr[seg_way]
    first_seg = np.unique(seg_way, return_index=True)
    way_country = pd.Series(node_country[seg_a[first_seg[1]]], index=first_seg[0], dtype=object)
    seg_country = way_country.reindex(seg_way).to_numpy(dtype=object)
    key_frame = pd.DataFrame({"attr": seg_attr, "country": seg_country})
    seg_key = np.asarray(
        key_frame.groupby(["attr", "country"], sort=True).ngroup().to_numpy(), dtype=np.int64
    )
    seg_mode = attr_table["mode"].to_numpy(dtype=object)[seg_attr]
    seg_oneway = attr_table["oneway"].to_numpy(dtype=bool)[seg_attr]
    if opts.largest_component:
        # roads form one network; each kind of railway (rail, tram, subway, ...) its own
        family = np.where(
            seg_mode == "road", "road", "rail:" + attr_table["class"].to_numpy(dtype=str)[seg_attr]
        )
        keep = _largest_components(seg_a, seg_b, seg_oneway, family, n)
        seg_a, seg_b, seg_way, seg_key = seg_a[keep], seg_b[keep], seg_way[keep], seg_key[keep]
        seg_attr, seg_country = seg_attr[keep], seg_country[keep]
        seg_mode, seg_oneway = seg_mode[keep], seg_oneway[keep]
        if not seg_a.size:
            raise DataSourceError(
                source,
                "no road or rail segment is left after keeping the largest connected network "
                "(every street is a dead-end one-way or an island); import a larger area or "
                "pass --all-components",
            )
    # nodes that must stay: junctions, ends, borders, restriction members, attribute changes
    restr_nodes, restr_way_ids = restriction_members(ways)
    forced = border.copy()
    if restr_nodes.size:
        forced[np.searchsorted(node_ids, restr_nodes[np.isin(restr_nodes, node_ids)])] = True
    if restr_way_ids.size:
        offsets = np.frombuffer(ways.offsets, dtype=np.int64)
        refs = np.frombuffer(ways.refs, dtype=np.int64)
        rows = np.flatnonzero(np.isin(way_ids, restr_way_ids))
        ends = np.concatenate([refs[offsets[rows]], refs[offsets[rows + 1] - 1]])
        ends = ends[np.isin(ends, node_ids)]
        forced[np.searchsorted(node_ids, ends)] = True
    # contract each mode on its own: a level crossing or a street with tram tracks on the
    # same way does not make a node of either network
    seg_link = np.empty(seg_a.size, np.int64)
    seg_pos = np.empty(seg_a.size, np.int64)
    seg_flip = np.empty(seg_a.size, bool)
    ends_a: list[IntArray] = []
    ends_b: list[IntArray] = []
    for mode in np.unique(seg_mode):
        sel = np.flatnonzero(seg_mode == mode)
        kept = forced | _kept_nodes(
            seg_a[sel], seg_b[sel], seg_key[sel], seg_oneway[sel], n, opts.simplify
        )
        part = _contract(seg_a[sel], seg_b[sel], kept, n)
        seg_link[sel] = part[0] + sum(x.size for x in ends_a)
        seg_pos[sel], seg_flip[sel] = part[1], part[2]
        ends_a.append(part[3])
        ends_b.append(part[4])
    link_a, link_b = np.concatenate(ends_a), np.concatenate(ends_b)
    n_links = link_a.size
    # orient every link along its ways' direction (for one-way links, the travel direction)
    first = np.zeros(n_links, np.int64)
    first[seg_link[seg_pos == 0]] = np.flatnonzero(seg_pos == 0)
    link_attr = seg_attr[first]
    link_country = seg_country[first]
    link_oneway = seg_oneway[first]
    flip_link = seg_flip[first]
    link_a, link_b = np.where(flip_link, link_b, link_a), np.where(flip_link, link_a, link_b)
    # ordered node sequence of each link
    counts = np.bincount(seg_link, minlength=n_links)
    order = np.lexsort((seg_pos, seg_link))
    far_end = np.where(seg_flip, seg_a, seg_b)[order]
    start_of = np.zeros(n_links + 1, np.int64)
    np.cumsum(counts + 1, out=start_of[1:])
    seq = np.empty(int(start_of[-1]), np.int64)
    head_pos = start_of[:-1]
    seq[head_pos] = np.where(flip_link, link_b, link_a)  # walk start
    rest = np.ones(seq.size, bool)
    rest[head_pos] = False
    seq[rest] = far_end
    seq_link = np.repeat(np.arange(n_links), counts + 1)
    # reverse the sequences of flipped links
    pos_in = np.arange(seq.size) - start_of[seq_link]
    rev_pos = np.where(flip_link[seq_link], counts[seq_link] - pos_in, pos_in)
    final = np.empty_like(seq)
    final[start_of[seq_link] + rev_pos] = seq
    seg_len = haversine_km(lon[final[:-1]], lat[final[:-1]], lon[final[1:]], lat[final[1:]])
    within = seq_link[:-1] == seq_link[1:]
    length_km = np.bincount(seq_link[:-1][within], weights=seg_len[within], minlength=n_links)
    geometry = shapely.linestrings(np.column_stack([lon[final], lat[final]]), indices=seq_link)
    # way ids per link (for provenance and restrictions)
    link_of_seg = seg_link
    frame = pd.DataFrame({"link": link_of_seg, "way": way_ids[seg_way]}).drop_duplicates()
    way_list = frame.groupby("link")["way"].agg(lambda s: ";".join(map(str, s)))
    attrs = attr_table.iloc[link_attr].reset_index(drop=True)
    countries = pd.Series(link_country, dtype=object).astype(str)
    speed = attrs["maxspeed_kmh"].to_numpy(dtype=np.float64).copy()
    implicit = [
        parse_maxspeed(t, c) if t else math.nan
        for t, c in zip(attrs["maxspeed_text"], countries, strict=True)
    ]
    speed = np.where(np.isnan(speed), np.asarray(implicit, dtype=np.float64), speed)
    missing = np.isnan(speed)
    if missing.any():
        defaults = {
            key: default_speed_kmh(key[0], key[1], key[2], usage=key[3] or key[4])
            for key in set(
                zip(
                    attrs["mode"][missing],
                    attrs["class"][missing],
                    countries[missing],
                    attrs["usage"][missing],
                    attrs["service"][missing],
                    strict=True,
                )
            )
        }
        speed[missing] = [
            defaults[k]
            for k in zip(
                attrs["mode"][missing],
                attrs["class"][missing],
                countries[missing],
                attrs["usage"][missing],
                attrs["service"][missing],
                strict=True,
            )
        ]
    links = pd.DataFrame(
        {
            "link_id": np.arange(n_links, dtype=np.int64),
            "a_node": node_ids[link_a],
            "b_node": node_ids[link_b],
            "oneway": link_oneway,
            "mode": attrs["mode"].astype(str),
            "class": attrs["class"].astype(str),
            "ref": attrs["ref"].astype(str),
            "name": attrs["name"].astype(str),
            "length_km": np.maximum(length_km, _MIN_LENGTH_KM),
            "speed_kmh": np.clip(speed, 1.0, 400.0),
            "lanes": attrs["lanes"].astype(np.int64),
            "gauge_mm": attrs["gauge_mm"].astype(np.float64),
            "electrified": attrs["electrified"].astype(bool),
            "country": countries,
            "provenance": "osm ways " + way_list.reindex(np.arange(n_links)).astype(str),
            "geometry": pd.Series(list(geometry), dtype=object),
            "usage": attrs["usage"].astype(str),
            "service": attrs["service"].astype(str),
        }
    )
    nodes = node_table(
        node_ids, lon, lat, node_country, border, border_names, links, link_a, link_b, gaz, opts
    )
    turns = turn_table(ways, node_ids, links, seg_link, seg_way, seg_a, seg_b, way_ids)
    name = opts.name or source.name.split(".")[0]
    log.info(
        "imported %s: %d nodes, %d links (%d road, %d rail), %d turn restrictions",
        source.name,
        len(nodes),
        len(links),
        int((links["mode"] == "road").sum()),
        int((links["mode"] == "rail").sum()),
        len(turns),
    )
    return Network(nodes, links, turns=turns, name=name, source=str(source))


def _contract(
    seg_a: IntArray, seg_b: IntArray, kept: BoolArray, n: int
) -> tuple[IntArray, IntArray, BoolArray, IntArray, IntArray]:
    """Chains of segments between kept nodes: (seg_link, seg_pos, seg_flip, link_a, link_b)."""
    from corridor.kernels.chains import walk_chains

    inc_ptr, inc_seg = _incidence(seg_a, seg_b, n)
    for _ in range(4):
        seg_link, seg_pos, seg_flip, link_a, link_b = walk_chains(
            seg_a, seg_b, kept, inc_ptr, inc_seg
        )
        loops = np.flatnonzero(link_a == link_b)
        if not loops.size:
            break
        # split every closed chain at its middle node
        counts = np.bincount(seg_link, minlength=link_a.size)
        in_loop = np.isin(seg_link, loops)
        mid = in_loop & (seg_pos == counts[seg_link] // 2)
        kept[np.where(seg_flip[mid], seg_b[mid], seg_a[mid])] = True
    return seg_link, seg_pos, seg_flip, link_a, link_b


def _kept_nodes(
    seg_a: IntArray,
    seg_b: IntArray,
    seg_key: IntArray,
    seg_oneway: BoolArray,
    n: int,
    simplify: bool,
) -> BoolArray:
    deg = np.bincount(seg_a, minlength=n) + np.bincount(seg_b, minlength=n)
    if not simplify:
        return deg > 0
    kept = deg != 2
    ptr, inc = _incidence(seg_a, seg_b, n)
    two = np.flatnonzero(deg == 2)
    s1, s2 = inc[ptr[two]], inc[ptr[two] + 1]
    differ = seg_key[s1] != seg_key[s2]
    enters1 = seg_b[s1] == two
    enters2 = seg_b[s2] == two
    bad_dir = seg_oneway[s1] & (enters1 == enters2)
    kept[two[differ | bad_dir]] = True
    return np.asarray(kept, dtype=bool)
