/* corridor web planner: MapLibre GL JS with GeoJSON sources only (no tiles, no CDN).

   Every view (route, alternatives, pareto, tcd, isochrone, compare) keeps its inputs in
   the URL hash, so a link restores it. Labels are MapLibre symbol layers drawn with the
   browser's own sans-serif (no glyphs URL: MapLibre >= 5.11 renders local fonts, so no
   glyph server is needed offline), placed without collisions, larger places first. */
"use strict";

// the same colours as corridor.report.palette (which /palette.js applies over these at load)
const MODE_COLOURS = { road: "#e69f00", rail: "#0072b2", ferry: "#56b4e9", transfer: "#999999", air: "#cc79a7" };
const STOP_COLOURS = {
  border_crossing: "#b2182b", gauge_change: "#762a83", transfer: "#e69f00", terminal: "#222222",
};
const BAND_COLOURS = ["#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027"];
const CHANGE_COLOURS = {
  added: "#00a651", reopened: "#66c2a5", closed: "#e7298a", faster: "#1f78b4", slower: "#ff7f00",
  toll: "#6a3d9a", crossing: "#b2182b",
};
// alternatives: a palette apart from the modes' (no red, blue, teal or pink), drawn dashed
const ALT_COLOURS = ["#6a3d9a", "#e6ab02", "#1b1b1b", "#a6761d", "#66a61e", "#999933"];
const ROUTE_COLOURS = ALT_COLOURS;
const CONTRAST = {
  truck20: "container20", truck40: "container40", container20: "truck20", container40: "truck40",
  "grain-wagon": "truck40", car: "train", bus: "train", train: "bus",
};
const EMPTY = { type: "FeatureCollection", features: [] };
const ROUTE_VIEWS = ["route", "alternatives", "pareto", "tcd"];

const app = {
  loaded: false, lastRoute: null, routeSet: null, visible: new Set(), placeIds: {}, labels: [],
  tab: "route", hashes: {}, iso: null, cmp: null, tcd: null, lastDownload: null, originMarker: null,
};
window.corridorApp = app;

const $ = (sel) => document.querySelector(sel);
const fmt = (x, d = 0) => (x === null || x === undefined ? "–"
  : Number(x).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(path, opts);
  const data = await res.json();
  if (!res.ok) {
    const err = new Error(data.error || `HTTP ${res.status}`);
    err.status = res.status;
    err.data = data;
    throw err;
  }
  return data;
}

function say(target, text, isError = false) {
  const el = $(target);
  el.textContent = text;
  el.className = isError ? "error" : "";
}

/* A refused place name: "did you mean" with the API's suggestions as buttons; a click
   puts the name in its box and asks again. */
function refuse(target, e, boxes, retry) {
  const d = e.data || {};
  if (d.code !== "unknown_node" || !(d.suggestions || []).length) { say(target, e.message, true); return; }
  const box = boxes[d.field] || Object.values(boxes)[0];
  const el = $(target);
  el.className = "error did-you-mean";
  const typed = $(box).value.trim();
  el.innerHTML = `“${esc(typed)}” (${esc(d.field || "place")}) is not a place of the network. Did you mean `
    + d.suggestions.map((s) => `<button type="button" data-suggest="${esc(s)}">${esc(s)}</button>`).join(" or ") + "?";
  el.querySelectorAll("button[data-suggest]").forEach((b) => b.addEventListener("click", () => {
    $(box).value = b.dataset.suggest;
    say(target, "");
    retry();
  }));
}

/* ---------- map ---------- */

const bandColour = ["match", ["get", "band"], 0, BAND_COLOURS[0], 1, BAND_COLOURS[1], 2, BAND_COLOURS[2],
  3, BAND_COLOURS[3], 4, BAND_COLOURS[4], 5, BAND_COLOURS[5], "#bbbbbb"];

const LABEL_LAYOUT = {
  "text-field": ["get", "name"], "text-font": ["sans-serif"],
  "text-variable-anchor": ["left", "right", "top", "bottom"], "text-radial-offset": 0.55,
  "text-justify": "auto", "text-padding": 2, "text-allow-overlap": false, "text-ignore-placement": false,
  "text-optional": false, "text-max-width": 40,
};

const PLACE_PRIORITY = ["match", ["get", "kind"], "city", ["coalesce", ["get", "population"], 0], "port", 50000, 20000];
const PLACE_TIERS = [[0, 30000], [30000, 100000], [100000, 300000], [300000, 1e6], [1e6, 3e6], [3e6, 1e12]];
const LABEL_LAYERS = ["route-labels", ...PLACE_TIERS.map((_, i) => `place-labels-${PLACE_TIERS.length - 1 - i}`)];

const style = {
  version: 8,
  sources: {
    countries: { type: "geojson", data: "/api/outlines.geojson" },
    network: { type: "geojson", data: EMPTY },
    alts: { type: "geojson", data: EMPTY },
    route: { type: "geojson", data: EMPTY },
    iso: { type: "geojson", data: EMPTY },
    isopoly: { type: "geojson", data: EMPTY },
    cmp: { type: "geojson", data: EMPTY },
    routelabels: { type: "geojson", data: EMPTY },
  },
  layers: [
    { id: "background", type: "background", paint: { "background-color": "#dfeaf2" } },
    { id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f7f5ee" } },
    { id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#aaa", "line-width": 0.7 } },
    {
      id: "iso-fill", type: "fill", source: "isopoly",
      paint: { "fill-color": bandColour, "fill-opacity": 0.55 },
    },
    {
      id: "iso-outline", type: "line", source: "isopoly",
      paint: { "line-color": ["match", ["get", "band"], 0, "#0b5e2e", 1, "#4d8f2a", 2, "#8c9a3c", 3, "#b08a1e", 4, "#b3532a", 5, "#8e1b16", "#777"], "line-width": 1.2 },
    },
    {
      id: "network-links", type: "line", source: "network",
      filter: ["all", ["==", ["geometry-type"], "LineString"], ["!=", ["get", "mode"], "transfer"]],
      paint: {
        "line-color": ["match", ["get", "mode"], "road", "#e8b4a8", "rail", "#9fb8d6", "#bbbbbb"],
        "line-width": 1.2,
        "line-opacity": ["case", ["get", "closed"], 0.25, 0.9],
      },
    },
    {
      id: "network-nodes", type: "circle", source: "network",
      filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-radius": ["match", ["get", "kind"], "border_crossing", 3.5, 2],
        "circle-color": ["match", ["get", "kind"], "border_crossing", "#b2182b", "#666"],
        "circle-opacity": 0.7,
      },
    },
    {
      id: "iso-links", type: "line", source: "iso", filter: ["==", ["get", "kind"], "link"],
      paint: { "line-width": 1.2, "line-color": bandColour, "line-opacity": 0.9 },
    },
    {
      id: "iso-nodes", type: "circle", source: "iso", filter: ["==", ["get", "kind"], "node"],
      paint: {
        "circle-radius": 2.5, "circle-stroke-color": "#333", "circle-stroke-width": 0.5,
        "circle-color": bandColour,
      },
    },
    {
      id: "cmp-links", type: "line", source: "cmp", filter: ["==", ["get", "kind"], "link"],
      paint: {
        "line-width": 4,
        "line-color": ["match", ["get", "change"], ...Object.entries(CHANGE_COLOURS).flat(), "#444"],
      },
    },
    {
      id: "cmp-places", type: "circle", source: "cmp", filter: ["==", ["get", "kind"], "place"],
      paint: {
        "circle-radius": 5, "circle-stroke-color": "#333", "circle-stroke-width": 0.6,
        "circle-color": ["interpolate", ["linear"], ["coalesce", ["get", "mean_d_time_h"], 0],
          -5, "#1a9850", -0.01, "#d9ef8b", 0, "#f0f0f0", 0.01, "#fee08b", 5, "#d73027"],
      },
    },
    {
      id: "cmp-crossings", type: "circle", source: "cmp", filter: ["==", ["get", "kind"], "crossing"],
      paint: { "circle-radius": 7, "circle-color": CHANGE_COLOURS.crossing, "circle-opacity": 0.8 },
    },
    {
      id: "alt-legs", type: "line", source: "alts",
      filter: ["==", ["get", "kind"], "leg"],
      layout: { "line-cap": "butt", "line-join": "round" },
      paint: {
        "line-width": 4, "line-opacity": 0.85, "line-dasharray": [2, 1.2],
        "line-offset": ["*", 4, ["+", 1, ["get", "alt"]]],
        "line-color": ["to-color", ["get", "colour"]],
      },
    },
    {
      id: "route-legs", type: "line", source: "route",
      filter: ["==", ["get", "kind"], "leg"],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-width": 5,
        "line-color": ["match", ["get", "mode"], ...Object.entries(MODE_COLOURS).flat(), "#000000"],
      },
    },
    {
      id: "route-stops", type: "circle", source: "route",
      filter: ["!=", ["get", "kind"], "leg"],
      paint: {
        "circle-radius": ["match", ["get", "kind"], "terminal", 5, 7],
        "circle-stroke-color": "#fff", "circle-stroke-width": 1.5,
        "circle-color": ["match", ["get", "kind"], ...Object.entries(STOP_COLOURS).flat(), "#000000"],
      },
    },
    // places of the network, one layer per size class (cities by population; ports,
    // crossings and terminals as towns of 50,000 and 20,000): MapLibre places a layer
    // above before the layers below it, across tile edges, so larger places win
    ...PLACE_TIERS.map(([lo, hi], i) => ({
      id: `place-labels-${i}`, type: "symbol", source: "network",
      filter: ["all", ["==", ["geometry-type"], "Point"],
        ["!", ["in", "passport control", ["downcase", ["get", "name"]]]],
        [">=", PLACE_PRIORITY, lo], ["<", PLACE_PRIORITY, hi]],
      layout: { ...LABEL_LAYOUT, "text-size": i >= 4 ? 12 : 11, "symbol-sort-key": ["-", 0, PLACE_PRIORITY] },
      paint: {
        "text-color": ["match", ["get", "kind"], "border_crossing", "#b2182b", "#333333"],
        "text-halo-color": "rgba(255,255,255,0.9)", "text-halo-width": 1.4,
      },
    })),
    {
      // the route's ends, crossings and gauge changes: above (and so before) the places
      id: "route-labels", type: "symbol", source: "routelabels",
      layout: {
        ...LABEL_LAYOUT,
        "text-size": ["match", ["get", "kind"], "endpoint", 13, 12],
        "symbol-sort-key": ["-", 0, ["get", "priority"]],
      },
      paint: {
        "text-color": ["match", ["get", "kind"], "border_crossing", STOP_COLOURS.border_crossing,
          "gauge_change", STOP_COLOURS.gauge_change, "#111111"],
        "text-halo-color": "#ffffff", "text-halo-width": 2,
      },
    },
  ],
};

const map = new maplibregl.Map({
  container: "map", style, center: [75, 45], zoom: 2.3, attributionControl: false,
  preserveDrawingBuffer: true,
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
map.addControl(new maplibregl.ScaleControl(), "bottom-left");
app.map = map;

map.on("load", async () => {
  try {
    const [health, network] = await Promise.all([api("/api/health"), api("/api/network.geojson")]);
    setData("network", network);
    $("#network-name").textContent = `${health.network}: ${health.nodes} nodes, ${health.links} links`;
    const [x0, y0, x1, y1] = health.bbox;
    map.fitBounds([[x0, y0], [x1, y1]], { padding: 20, duration: 0 });
    app.overviewZoom = map.getZoom();
  } catch (e) {
    say("#message", e.message, true);
  }
  showTab("route");
  await app.ready;
  app.loaded = true;
  await restore();
});
map.on("error", (e) => console.warn("map:", e && e.error ? e.error.message : e));

const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false });
for (const layer of ["route-stops", "network-nodes", "iso-nodes", "cmp-places", "cmp-crossings", "iso-fill"]) {
  map.on("mousemove", layer, (e) => {
    const p = e.features[0].properties;
    let text = p.name || "";
    if (layer === "iso-fill") text = `within ${fmt(p.within_h)} h of ${p.origin}: ${fmt(p.nodes)} places, ${fmt(p.population)} people`;
    if (p.kind && !["network-nodes", "cmp-places", "iso-fill"].includes(layer)) text += ` · ${p.kind}`;
    if (p.detail) text += ` · ${p.detail}`;
    if (p.time_h !== undefined && p.time_h !== null && layer !== "iso-fill") text += ` · ${fmt(p.time_h, 1)} h`;
    if (p.mean_d_time_h !== undefined) text += ` · Δ ${fmt(p.mean_d_time_h, 2)} h mean`;
    popup.setLngLat(e.lngLat).setText(text).addTo(map);
  });
  map.on("mouseleave", layer, () => popup.remove());
}

function boundsOf(features) {
  let x0 = 180, y0 = 90, x1 = -180, y1 = -90;
  const visit = (c) => {
    if (typeof c[0] === "number") {
      x0 = Math.min(x0, c[0]); y0 = Math.min(y0, c[1]); x1 = Math.max(x1, c[0]); y1 = Math.max(y1, c[1]);
    } else for (const d of c) visit(d);
  };
  for (const f of features) visit(f.geometry.coordinates);
  return x0 <= x1 ? [x0, y0, x1, y1] : null;
}

function fitTo(features) {
  const b = boundsOf(features);
  // keep clear of the legends at the right (narrow screens: less room to spare)
  const W = map.getContainer().clientWidth;
  const right = W > 700 ? 200 : 40;
  const pad = W > 700 ? 60 : 30;
  if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: { top: pad, bottom: pad, left: pad, right }, duration: 0, maxZoom: 7 });
}

function setData(source, data) { map.getSource(source).setData(data); }

/* ---------- labels ---------- */

/* The names MapLibre placed (collisions dropped), on one or both label layers. */
app.labelLayers = LABEL_LAYERS;
app.shownLabels = (layers = LABEL_LAYERS) => [
  ...new Set(map.queryRenderedFeatures({ layers: layers.filter((l) => map.getLayer(l)) }).map((f) => f.properties.name)),
];

function labelRoute(r) {
  const legs = r.features.features.filter((f) => f.properties.kind === "leg");
  const feats = [];
  const add = (name, coords, kind, priority) => feats.push({
    type: "Feature", geometry: { type: "Point", coordinates: coords }, properties: { name, kind, priority },
  });
  if (legs.length) {
    add(r.origin.name, legs[0].geometry.coordinates[0], "endpoint", 3);
    add(r.destination.name, legs[legs.length - 1].geometry.coordinates.slice(-1)[0], "endpoint", 2);
  }
  const seen = new Set([r.origin.name, r.destination.name]);
  for (const f of r.features.features) {
    const k = f.properties.kind;
    if ((k === "border_crossing" || k === "gauge_change") && !seen.has(f.properties.name)) {
      seen.add(f.properties.name);
      add(f.properties.name, f.geometry.coordinates, k, 1);
    }
  }
  // one label per place, however many stops it has
  app.labels = feats.map((f) => [f.properties.kind, f.properties.name]);
  setData("routelabels", { type: "FeatureCollection", features: feats });
}

function legend(items, title = "") {
  $("#legend").innerHTML = (title ? `<h3>${esc(title)}</h3>` : "")
    + items.map(([c, t]) => `<div><span class="swatch" style="background:${c}"></span>${esc(t)}</div>`).join("");
}

function altLegend(rs) {
  if (!rs) { $("#alt-legend").innerHTML = ""; return; }
  const title = rs.method_label || "Alternatives";
  $("#alt-legend").innerHTML = `<h3>${esc(title)} (dashed)</h3>` + rs.routes.map((r, i) => {
    const c = ALT_COLOURS[i % ALT_COLOURS.length];
    return `<div data-alt="${i}"><span class="swatch dashed" style="background:repeating-linear-gradient(90deg, ${c} 0 5px, transparent 5px 8px);"></span>`
      + `#${i + 1} · ${fmt(r.totals.time_h, 1)} h · US$ ${fmt(r.totals.cost_usd)}</div>`;
  }).join("");
}

/* ---------- autocomplete ---------- */

function autocomplete(inputSel, listSel) {
  const input = $(inputSel);
  const list = $(listSel);
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q || app.placeIds[q] !== undefined) return;
    timer = setTimeout(async () => {
      try {
        const res = await api(`/api/places?q=${encodeURIComponent(q)}&limit=10`);
        list.innerHTML = "";
        for (const p of res.places) {
          const value = `${p.name}, ${p.country}`;
          app.placeIds[value] = p.node_id;
          const opt = document.createElement("option");
          opt.value = value;
          opt.label = p.matched !== p.name ? `${p.matched} → ${p.name} (${p.kind})` : `${p.kind}`;
          list.appendChild(opt);
        }
        list.dataset.query = q;
      } catch (e) {
        console.warn("places:", e.message);
      }
    }, 120);
  });
}

function placeOf(inputSel) {
  const v = $(inputSel).value.trim();
  return app.placeIds[v] !== undefined ? app.placeIds[v] : v;
}

/* ---------- URL state ---------- */

function hashState() {
  return Object.fromEntries(new URLSearchParams(location.hash.replace(/^#/, "")));
}

function setHash(state) {
  app.hashes[state.view && ROUTE_VIEWS.includes(state.view) ? "route" : state.view] = state;
  const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== "" && v !== undefined && v !== null));
  const hash = "#" + new URLSearchParams(clean).toString();
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function routeState(view) {
  const s = {
    view, from: $("#origin").value.trim(), to: $("#destination").value.trim(), profile: $("#profile").value || "none",
    optimize: $("#optimize").value, modes: $("#modes").value === "any" ? "" : $("#modes").value,
    depart: $("#depart").value, as_of: $("#as-of").value,
  };
  if (view === "tcd" && app.tcd) s.tcd = app.tcd.join(",");
  return s;
}

async function restore() {
  const s = hashState();
  const view = s.view;
  if (!view) return;
  if (ROUTE_VIEWS.includes(view)) {
    showTab("route");
    $("#origin").value = s.from || "";
    $("#destination").value = s.to || "";
    if (s.profile !== undefined) $("#profile").value = s.profile === "none" ? "" : s.profile;
    $("#optimize").value = s.optimize || "";
    $("#modes").value = s.modes || "any";
    $("#depart").value = s.depart || "";
    $("#as-of").value = s.as_of || "";
    if (!s.from || !s.to) return;
    if (view === "route") await doRoute();
    else if (view === "tcd") await doRoute(null, s.tcd ? s.tcd.split(",").filter(Boolean) : null, true);
    else await doRouteSet(view);
  } else if (view === "isochrone") {
    showTab("isochrone");
    $("#iso-origin").value = s.from || "";
    if (s.hours) $("#iso-hours").value = s.hours.split(",").join(", ");
    $("#iso-modes").value = s.modes || "road";
    $("#iso-as-of").value = s.as_of || "";
    $("#iso-profile").value = s.profile || "";
    if (s.from) await doIsochrone();
  } else if (view === "compare") {
    showTab("compare");
    if (s.base) $("#cmp-base").value = s.base;
    if (s.other) { $("#cmp-other").value = s.other; $("#cmp-other").dispatchEvent(new Event("change")); }
    await doCompare();
  }
}

window.addEventListener("hashchange", () => { restore(); });

async function copyLink() {
  try {
    await navigator.clipboard.writeText(location.href);
  } catch (e) {
    console.info("link:", location.href);
  }
  const box = app.tab === "route" ? "#message" : app.tab === "isochrone" ? "#iso-message" : "#cmp-message";
  say(box, `link to this view: ${location.href}`);
}

/* ---------- downloads ---------- */

function csv(rows, cols) {
  const cell = (v) => {
    if (v === null || v === undefined) return "";
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}

function slug(...parts) {
  return parts.filter(Boolean).join("-").normalize("NFKD").replace(/[^\w-]+/g, "_");
}

function exportData(kind, format) {
  if (kind === "route" && app.routeSet) {
    const rs = app.routeSet;
    const name = slug("corridor", rs.method_key, rs.routes[0] ? rs.routes[0].origin.name : "", rs.routes[0] ? rs.routes[0].destination.name : "");
    if (format === "geojson") {
      const feats = rs.routes.flatMap((r, i) => r.features.features.map((f) => ({ ...f, properties: { ...f.properties, alternative: i + 1 } })));
      return [`${name}.geojson`, JSON.stringify({ type: "FeatureCollection", features: feats }), "application/geo+json"];
    }
    const rows = rs.routes.map((r, i) => ({
      alternative: i + 1, origin: r.origin.name, destination: r.destination.name, profile: r.profile, as_of: r.as_of,
      length_km: r.totals.length_km, time_h: r.totals.time_h, cost_usd: r.totals.cost_usd, co2_kg: r.totals.co2_kg,
      modes: [...new Set(r.legs.map((l) => l.mode))].join("+"),
      crossings: [...new Set(r.stops.filter((s) => s.kind === "border_crossing").map((s) => s.name))].join("; "),
    }));
    return [`${name}.csv`, csv(rows, Object.keys(rows[0] || { alternative: 0 })), "text/csv"];
  }
  if (kind === "route") {
    const r = app.lastRoute;
    const name = slug("corridor-route", r.origin.name, r.destination.name, r.profile);
    if (format === "geojson") return [`${name}.geojson`, JSON.stringify(r.features), "application/geo+json"];
    const rows = [
      ...r.legs.map((l, i) => ({ seq: i + 1, type: "leg", from: l.from, to: l.to, mode: l.mode, ref: l.ref, at_km: l.start_km, length_km: l.length_km, time_h: l.time_h, cost_usd: l.cost_usd, co2_kg: l.co2_kg })),
      ...r.stops.map((s) => ({ type: s.kind, from: s.name, to: s.detail, at_km: s.at_km, time_h: s.time_h + s.wait_h, cost_usd: s.cost_usd })),
    ].sort((a, b) => a.at_km - b.at_km);
    const cols = ["seq", "type", "from", "to", "mode", "ref", "at_km", "length_km", "time_h", "cost_usd", "co2_kg"];
    return [`${name}.csv`, csv(rows, cols), "text/csv"];
  }
  if (kind === "isochrone") {
    const r = app.iso;
    const name = slug("corridor-isochrone", r.origin.name, r.modes.join("+"));
    if (format === "geojson") {
      const nodes = r.features.features.filter((f) => f.properties.kind === "node");
      return [`${name}.geojson`, JSON.stringify({ type: "FeatureCollection", features: [...r.polygons.features, ...nodes] }), "application/geo+json"];
    }
    const rows = r.features.features.filter((f) => f.properties.kind === "node").map((f) => ({
      name: f.properties.name, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], time_h: f.properties.time_h,
      within_h: f.properties.band >= 0 ? r.hours[f.properties.band] : "",
    })).sort((a, b) => (a.time_h === null) - (b.time_h === null) || a.time_h - b.time_h);
    return [`${name}.csv`, csv(rows, ["name", "lon", "lat", "time_h", "within_h"]), "text/csv"];
  }
  const c = app.cmp;
  const name = slug("corridor-compare", c.base, c.other);
  if (format === "geojson") return [`${name}.geojson`, JSON.stringify(c.changes), "application/geo+json"];
  const cols = Object.keys(c.headline[0] || { profile: "" });
  return [`${name}.csv`, csv(c.headline, cols), "text/csv"];
}
app.exportData = exportData;

function download(kind, format) {
  const [name, text, mime] = exportData(kind, format);
  app.lastDownload = { name, text, mime };
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/* ---------- route ---------- */

function routeRequest() {
  const body = { origin: placeOf("#origin"), destination: placeOf("#destination"), exact_names: true };
  const profile = $("#profile").value;
  const optimize = $("#optimize").value;
  if (profile) body.profile = profile;
  if (optimize) body.optimize = optimize;
  if ($("#modes").value !== "any") body.modes = $("#modes").value;
  if ($("#depart").value) body.depart = $("#depart").value;
  if ($("#as-of").value) body.as_of = $("#as-of").value;
  return body;
}

const ROUTE_BOXES = { origin: "#origin", destination: "#destination" };

function showRoute(r) {
  app.lastRoute = r;
  setData("route", r.features);
  labelRoute(r);
  const t = r.totals;
  let text = `<b>${esc(r.origin.name)} → ${esc(r.destination.name)}</b>: ${fmt(t.length_km)} km, ${fmt(t.time_h, 1)} h`;
  if (t.time_d !== undefined) text += ` (${fmt(t.time_d, 2)} days)`;
  if (t.cost_usd !== null) text += `, US$ ${fmt(t.cost_usd)}`;
  if (t.co2_kg !== null) text += `, ${fmt(t.co2_kg / 1000, 2)} t CO2`;
  const crossings = r.stops.filter((s) => s.kind === "border_crossing").length;
  const gauges = r.stops.filter((s) => s.kind === "gauge_change").length;
  if (r.profile) text += `; ${crossings} border crossing(s), ${gauges} gauge change(s)`;
  if (r.as_of) text += `; network as of ${esc(r.as_of)}`;
  if (r.arrive) text += `; arrive ${esc(r.arrive)}`;
  if (t.elapsed_h !== undefined && t.elapsed_h !== null) {
    // the split of the time, under the route's named definition of time_h
    text += `<br><small>${esc(r.time_definition || "")}: driving ${fmt(t.driving_h, 1)} h`
      + `, other moves ${fmt(t.moving_h, 1)} h, breaks ${fmt(t.breaks_h, 1)} h`
      + `, overnight ${fmt(t.overnight_h, 1)} h, waiting ${fmt(t.waiting_h, 1)} h`
      + `; door to door ${fmt(t.elapsed_h, 1)} h</small>`;
  }
  // how typed names resolved, when it needs saying (a homonym, a corrected spelling)
  const notes = r.resolved ? [r.resolved.origin.note, r.resolved.destination.note].filter((n) => n) : [];
  if (notes.length) text += `<br><small>${notes.map(esc).join("<br>")}</small>`;
  $("#summary").innerHTML = text;
  const rows = [...r.legs.map((l, i) => ({ ...l, _t: "leg", _seq: i })), ...r.stops.map((s) => ({ ...s, _t: "stop" }))];
  // legs and stops in travel order: stops by distance, before the leg that starts there
  rows.sort((a, b) => (a._t === "leg" ? a.start_km : a.at_km) - (b._t === "leg" ? b.start_km : b.at_km)
    || (a._t === "leg" ? 1 : 0) - (b._t === "leg" ? 1 : 0));
  const isEnd = (x) => x._t === "stop" && x.kind === "terminal" && x.detail.startsWith("destination");
  const body = $("#legs tbody");
  body.innerHTML = rows.filter((x) => !isEnd(x)).concat(rows.filter(isEnd)).map((x, i) => {
    if (x._t === "leg") {
      return `<tr class="leg" data-mode="${esc(x.mode)}"><td>${i + 1}</td><td>${esc(x.from)}</td><td>${esc(x.to)}${x.ref ? ` <span class="muted">${esc(x.ref)}</span>` : ""}</td>`
        + `<td><span class="swatch" style="background:${MODE_COLOURS[x.mode] || "#000"}"></span>${esc(x.mode)}</td>`
        + `<td class="num">${fmt(x.length_km)}</td><td class="num">${fmt(x.time_h, 1)}</td><td class="num">${fmt(x.cost_usd)}</td></tr>`;
    }
    return `<tr class="stop" data-kind="${esc(x.kind)}"><td>${i + 1}</td><td>${esc(x.name)}</td><td>${esc(x.kind.replace("_", " "))}: ${esc(x.detail)}</td>`
      + `<td><span class="swatch" style="background:${STOP_COLOURS[x.kind] || "#000"}"></span></td>`
      + `<td class="num">at km ${fmt(x.at_km)}</td><td class="num">${fmt(x.time_h + x.wait_h, 1)}</td><td class="num">${fmt(x.cost_usd)}</td></tr>`;
  }).join("");
  showRouteLegend();
  $("#route-downloads").hidden = false;
}

async function doRoute(ev, tcdProfiles = null, tcdView = false) {
  if (ev) ev.preventDefault();
  say("#message", "searching…");
  try {
    const r = await api("/api/route", routeRequest());
    app.routeSet = null;
    setData("alts", EMPTY);
    altLegend(null);
    $("#alternatives").innerHTML = "";
    showRoute(r);
    fitTo(r.features.features);
    say("#message", "");
    await doTcd(r, tcdProfiles);
    setHash(routeState(tcdView ? "tcd" : "route"));
    if (tcdView) $("#tcd-title").scrollIntoView();
  } catch (e) {
    refuse("#message", e, ROUTE_BOXES, () => doRoute(null, tcdProfiles, tcdView));
  }
}

function drawAlternatives() {
  const rs = app.routeSet;
  const feats = [];
  rs.routes.forEach((r, i) => {
    if (!app.visible.has(i)) return;
    for (const f of r.features.features) {
      if (f.properties.kind === "leg") feats.push({ ...f, properties: { ...f.properties, alt: i, colour: ALT_COLOURS[i % ALT_COLOURS.length] } });
    }
  });
  setData("alts", { type: "FeatureCollection", features: feats });
}

async function doRouteSet(method) {
  const body = routeRequest();
  if (!body.profile) { say("#message", "alternatives and Pareto sets need a profile", true); return; }
  body.method = method;
  if (method === "alternatives") body.k = 4;
  delete body.optimize;
  if ($("#optimize").value && method === "alternatives") body.optimize = $("#optimize").value;
  say("#message", "searching…");
  try {
    const rs = await api("/api/routes", body);
    rs.method_key = method;
    rs.method_label = method === "pareto" ? "Pareto set" : "Alternatives";
    app.routeSet = rs;
    app.visible = new Set(rs.routes.map((_, i) => i));
    const box = $("#alternatives");
    box.innerHTML = `<h2>${rs.method_label} (${rs.routes.length})</h2>`
      + `<p class="muted">${esc(rs.method)}${rs.note ? ` · ${esc(rs.note)}` : ""}</p>`
      + rs.routes.map((r, i) => {
        const via = [...new Set(r.stops.filter((s) => s.kind === "border_crossing").map((s) => s.name))].join(", ") || "no crossing";
        const modes = [...new Set(r.legs.map((l) => l.mode))].join("+");
        return `<label><input type="checkbox" data-alt="${i}" checked>`
          + `<span class="swatch" style="background:${ALT_COLOURS[i % ALT_COLOURS.length]}"></span>`
          + `<a href="#" data-show="${i}">#${i + 1}</a> ${esc(modes)} · ${fmt(r.totals.time_d, 1)} d · US$ ${fmt(r.totals.cost_usd)} · ${fmt(r.totals.co2_kg / 1000, 1)} t · via ${esc(via)}</label>`;
      }).join("");
    box.querySelectorAll("input[data-alt]").forEach((cb) => cb.addEventListener("change", () => {
      const i = Number(cb.dataset.alt);
      if (cb.checked) app.visible.add(i); else app.visible.delete(i);
      drawAlternatives();
    }));
    box.querySelectorAll("a[data-show]").forEach((a) => a.addEventListener("click", (e) => {
      e.preventDefault();
      showRoute(rs.routes[Number(a.dataset.show)]);
    }));
    drawAlternatives();
    altLegend(rs);
    if (rs.routes.length) {
      showRoute(rs.routes[0]);
      fitTo(rs.routes.flatMap((r) => r.features.features));
    }
    say("#message", "");
    setHash(routeState(method));
  } catch (e) {
    refuse("#message", e, ROUTE_BOXES, () => doRouteSet(method));
  }
}

/* ---------- time/cost-distance chart ---------- */

async function doTcd(r, profiles = null) {
  const first = r.profile || "truck40";
  const second = CONTRAST[first] || "container40";
  const asked = profiles && profiles.length ? profiles : [first, second];
  const box = $("#tcd");
  const base = { origin: r.origin.node_id, destination: r.destination.node_id };
  if (r.as_of) base.as_of = r.as_of;
  if ($("#depart").value) base.depart = $("#depart").value;
  try {
    const t = await api("/api/tcd", { ...base, profiles: asked });
    app.tcd = asked;
    box.innerHTML = tcdSvg(t.table);
  } catch (e) {
    // one profile may not reach the destination: chart the first profile alone
    try {
      const t = await api("/api/tcd", { ...base, profiles: [asked[0]] });
      app.tcd = [asked[0]];
      box.innerHTML = tcdSvg(t.table) + `<p class="muted">${esc(asked.slice(1).join(", "))}: ${esc(e.message)}</p>`;
    } catch (e2) {
      box.innerHTML = `<p class="muted">no chart: ${esc(e2.message)}</p>`;
    }
  }
}

/* 0 and round steps (1, 2, 2.5 or 5 x 10^k) up to at least `max`, about `n` of them. */
function niceTicks(max, n = 5) {
  const top = max > 0 ? max : 1;
  const raw = top / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999);
  const ticks = [];
  for (let i = 0; i * step < top - 1e-9 * top; i++) ticks.push(i * step);
  ticks.push(ticks.length * step);
  return ticks;
}

const tickText = (v) => (v >= 10000 ? `${fmt(v / 1000, (v / 1000) % 1 ? 1 : 0)}k`
  : fmt(v, v % 1 ? (v * 10) % 1 ? 2 : 1 : 0));

/* Cumulative cost and time against distance, one panel each, with axes, ticks and units.
   Segments take the map's colours: links by mode, stops by kind (vertical steps); the
   second profile is dashed. */
function tcdSvg(table) {
  const W = 420, L = 52, R = 12, T = 10, PH = 120, GAP = 34, XAX = 30;
  const H = T + 2 * PH + GAP + XAX + 34;
  const series = {};
  for (const row of table) (series[row.route] = series[row.route] || []).push(row);
  const names = Object.keys(series);
  const xt = niceTicks(Math.max(...table.map((x) => x.cum_distance_km)));
  const ct = niceTicks(Math.max(...table.map((x) => x.cum_cost_usd)), 4);
  const tt = niceTicks(Math.max(...table.map((x) => x.cum_time_h)), 4);
  const maxX = xt[xt.length - 1];
  const X = (v) => L + (v / maxX) * (W - L - R);
  const dashes = ["", "6 3", "2 2", "8 2 2 2"];
  const stopKind = (row) => (row.label || "").split(":")[0].trim();
  const panel = (top, key, ticks, unit) => {
    const maxY = ticks[ticks.length - 1];
    const Y = (v) => top + PH - (v / maxY) * PH;
    let s = `<g class="tcd-panel" data-unit="${esc(unit)}">`;
    for (const v of ticks) {
      s += `<line x1="${L}" x2="${W - R}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#eee"/>`
        + `<text class="tick y" x="${L - 5}" y="${(Y(v) + 3).toFixed(1)}" font-size="9" text-anchor="end">${tickText(v)}</text>`;
    }
    s += `<line x1="${L}" x2="${L}" y1="${top}" y2="${top + PH}" stroke="#888"/>`
      + `<line x1="${L}" x2="${W - R}" y1="${top + PH}" y2="${top + PH}" stroke="#888"/>`
      + `<text class="axis-title" transform="translate(12 ${top + PH / 2}) rotate(-90)" font-size="10" text-anchor="middle">${esc(unit)}</text>`;
    names.forEach((n, i) => {
      const rows = series[n];
      for (let j = 1; j < rows.length; j++) {
        const a = rows[j - 1], b = rows[j];
        const colour = b.kind === "link" ? (MODE_COLOURS[b.mode] || "#555") : (STOP_COLOURS[stopKind(b)] || "#555");
        const tip = `${n}: ${b.label} · +${fmt(b.distance_km)} km, +${fmt(b.time_h, 1)} h, +US$ ${fmt(b.cost_usd)}`
          + ` (at ${fmt(b.cum_distance_km)} km: ${fmt(b.cum_time_h, 1)} h, US$ ${fmt(b.cum_cost_usd)})`;
        s += `<polyline class="tcd-line" data-route="${esc(n)}" data-mode="${esc(b.mode || stopKind(b))}" points="${X(a.cum_distance_km).toFixed(1)},${Y(a[key]).toFixed(1)} ${X(b.cum_distance_km).toFixed(1)},${Y(b[key]).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${dashes[i % dashes.length]}"><title>${esc(tip)}</title></polyline>`;
      }
    });
    return s + "</g>";
  };
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="time/cost-distance chart">`;
  svg += panel(T, "cum_cost_usd", ct, "cost, US$");
  svg += panel(T + PH + GAP, "cum_time_h", tt, "time, h");
  const base = T + 2 * PH + GAP;
  for (const v of xt) {
    svg += `<line x1="${X(v).toFixed(1)}" x2="${X(v).toFixed(1)}" y1="${base}" y2="${base + 4}" stroke="#888"/>`
      + `<text class="tick x" x="${X(v).toFixed(1)}" y="${base + 14}" font-size="9" text-anchor="middle">${tickText(v)}</text>`;
  }
  svg += `<text class="axis-title" x="${(L + W - R) / 2}" y="${base + 27}" font-size="10" text-anchor="middle">distance, km</text>`;
  const ly = H - 6;
  let x = L;
  names.forEach((n, i) => {
    svg += `<line x1="${x}" x2="${x + 22}" y1="${ly - 3}" y2="${ly - 3}" stroke="#333" stroke-width="2" stroke-dasharray="${dashes[i % dashes.length]}"/>`
      + `<text x="${x + 26}" y="${ly}" font-size="10">${esc(n)}</text>`;
    x += 30 + 6 * n.length;
  });
  const modes = [...new Set(table.filter((r) => r.kind === "link").map((r) => r.mode))];
  for (const m of modes) {
    svg += `<rect x="${x}" y="${ly - 8}" width="9" height="9" fill="${MODE_COLOURS[m] || "#555"}"/><text x="${x + 12}" y="${ly}" font-size="10">${esc(m)}</text>`;
    x += 18 + 6 * m.length;
  }
  return svg + "</svg>";
}

/* ---------- isochrones ---------- */

async function doIsochrone(ev) {
  if (ev) ev.preventDefault();
  const hours = $("#iso-hours").value.split(/[ ,;]+/).filter(Boolean).map(Number);
  say("#iso-message", "computing…");
  const body = { origin: placeOf("#iso-origin"), hours, modes: $("#iso-modes").value, exact_names: true };
  if ($("#iso-as-of").value) body.as_of = $("#iso-as-of").value;
  if ($("#iso-profile").value) body.profile = $("#iso-profile").value;
  try {
    const r = await api("/api/isochrone", body);
    app.iso = r;
    setData("iso", r.features);
    // largest band first, so that the smaller ones are drawn over it
    const polys = [...r.polygons.features].sort((a, b) => b.properties.band - a.properties.band);
    setData("isopoly", { type: "FeatureCollection", features: polys });
    const tbody = $("#iso-table tbody");
    tbody.innerHTML = r.bands.map((b, i) => `<tr><td><span class="swatch" style="background:${BAND_COLOURS[i]}"></span>${fmt(b.hours)} h</td>`
      + `<td class="num">${b.nodes}</td><td class="num">${fmt(b.population)}</td></tr>`).join("");
    legend([...r.bands.map((b, i) => [BAND_COLOURS[i], `within ${fmt(b.hours)} h`]), ["#111111", `origin: ${r.origin.name}`]], "Travel time");
    altLegend(null);
    say("#iso-message", `${r.origin.name} by ${r.modes.join("+")}${r.profile ? ` (${r.profile})` : ""}${r.as_of ? ` as of ${r.as_of}` : ""}: ${r.unreachable} nodes unreachable`);
    $("#iso-note").textContent = `Times: ${r.time_definition}. Areas: ${r.area_definition}.`;
    // the view moves to the origin: centred on it, wide enough for the largest band
    const o = [r.origin.lon, r.origin.lat];
    if (app.originMarker) app.originMarker.remove();
    const el = document.createElement("div");
    el.className = "origin-marker";
    el.title = r.origin.name;
    app.originMarker = new maplibregl.Marker({ element: el }).setLngLat(o).addTo(map);
    const b = boundsOf(polys.length ? [polys[0]] : r.features.features);
    if (b) {
      const dx = Math.max(o[0] - b[0], b[2] - o[0], 0.5), dy = Math.max(o[1] - b[1], b[3] - o[1], 0.5);
      map.fitBounds([[o[0] - dx, o[1] - dy], [o[0] + dx, o[1] + dy]], { padding: 30, duration: 0, maxZoom: 8 });
    }
    map.setCenter(o);
    $("#iso-downloads").hidden = false;
    setHash({ view: "isochrone", from: $("#iso-origin").value.trim(), hours: hours.join(","), modes: $("#iso-modes").value, as_of: $("#iso-as-of").value, profile: $("#iso-profile").value });
  } catch (e) {
    refuse("#iso-message", e, { origin: "#iso-origin" }, () => doIsochrone());
  }
}

/* ---------- scenario compare ---------- */

async function loadScenarios() {
  const res = await api("/api/scenarios");
  app.scenarios = res.scenarios;
  for (const sel of ["#cmp-base", "#cmp-other"]) {
    $(sel).innerHTML = res.scenarios.map((s) => `<option value="${esc(s.name)}">${esc(s.name)}</option>`).join("");
  }
  const names = res.scenarios.map((s) => s.name);
  if (names.includes("m12-before")) $("#cmp-base").value = "m12-before";
  if (names.includes("m12-east")) $("#cmp-other").value = "m12-east";
  const describe = () => {
    const s = res.scenarios.find((x) => x.name === $("#cmp-other").value);
    $("#cmp-desc").textContent = s ? s.description : "";
  };
  $("#cmp-other").addEventListener("change", describe);
  describe();
}

async function doCompare(ev) {
  if (ev) ev.preventDefault();
  say("#cmp-message", "comparing (the first time takes a few seconds)…");
  try {
    const c = await api("/api/compare", { base: $("#cmp-base").value, other: $("#cmp-other").value });
    app.cmp = c;
    setData("cmp", c.changes);
    const s = Object.entries(c.summary).map(([k, v]) => `${v} ${k}`).join(", ") || "no link or crossing changed";
    $("#cmp-summary").innerHTML = `<p><b>${esc(c.base)} → ${esc(c.other)}</b>: ${esc(s)}; ${c.places} places compared.</p>`;
    $("#cmp-table tbody").innerHTML = c.headline.map((h) => `<tr><td>${esc(h.profile)}</td><td>${esc(h.origin)}</td><td>${esc(h.destination)}</td>`
      + `<td class="num">${fmt(h.time_h_before, 1)}</td><td class="num">${fmt(h.time_h_after, 1)}</td>`
      + `<td class="num">${fmt(h.d_time_h, 1)}</td><td class="num">${fmt(h.d_cost_usd)}</td></tr>`).join("");
    compareLegend(c);
    altLegend(null);
    fitTo(c.changes.features);
    say("#cmp-message", "");
    $("#cmp-downloads").hidden = false;
    setHash({ view: "compare", base: c.base, other: c.other });
  } catch (e) {
    say("#cmp-message", e.message, true);
  }
}

/* ---------- wiring ---------- */

function showTab(name) {
  app.tab = name;
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.id === `tab-${name}`));
  const show = {
    route: ["route-legs", "route-stops", "alt-legs", "route-labels"], isochrone: ["iso-fill", "iso-outline", "iso-links", "iso-nodes"],
    compare: ["cmp-links", "cmp-places", "cmp-crossings"],
  };
  for (const [tab, layers] of Object.entries(show)) {
    for (const l of layers) if (map.getLayer(l)) map.setLayoutProperty(l, "visibility", tab === name ? "visible" : "none");
  }
  if (app.originMarker) app.originMarker.getElement().style.display = name === "isochrone" ? "" : "none";
  $("#alt-legend").style.display = name === "route" ? "" : "none";
  if (name === "route" && app.lastRoute) showRouteLegend();
  else if (name === "isochrone" && app.iso) legend(app.iso.bands.map((b, i) => [BAND_COLOURS[i], `within ${fmt(b.hours)} h`]), "Travel time");
  else if (name === "compare" && app.cmp) compareLegend(app.cmp);
  else legend([]);
}

/* The modes and stop kinds of the routes shown (the route and any alternatives). */
/* The kinds of change the comparison has, and the places' colours. */
function compareLegend(c) {
  const kinds = Object.entries(CHANGE_COLOURS).filter(([k]) => c.summary[k]);
  legend([...kinds.map(([k, c2]) => [c2, `${k} (${c.summary[k]})`]),
    ["#1a9850", "place faster"], ["#d73027", "place slower"]], "Changes");
}

function showRouteLegend() {
  const routes = app.routeSet ? [app.lastRoute, ...app.routeSet.routes] : [app.lastRoute];
  const modes = new Set(routes.flatMap((r) => r.legs.map((l) => l.mode)));
  const stops = new Set(routes.flatMap((r) => r.features.features.map((f) => f.properties.kind)));
  legend([
    ...Object.entries(MODE_COLOURS).filter(([m]) => modes.has(m)).map(([m, c]) => [c, m]),
    ...Object.entries(STOP_COLOURS).filter(([k]) => stops.has(k)).map(([k, c]) => [c, k.replace("_", " ")]),
  ], "Modes and stops");
}

function togglePanel() {
  const panel = $("#panel");
  const collapsed = panel.classList.toggle("collapsed");
  document.body.classList.toggle("panel-collapsed", collapsed);
  $("#panel-toggle").setAttribute("aria-expanded", String(!collapsed));
  $("#panel-toggle").textContent = collapsed ? "▴ panel" : "▾ panel";
  map.resize();
}

async function init() {
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => {
    showTab(b.dataset.tab);
    setHash(app.hashes[b.dataset.tab] || { view: b.dataset.tab });
  }));
  autocomplete("#origin", "#origin-list");
  autocomplete("#destination", "#destination-list");
  autocomplete("#iso-origin", "#iso-list");
  $("#route-form").addEventListener("submit", (e) => doRoute(e));
  $("#alt-btn").addEventListener("click", () => doRouteSet("alternatives"));
  $("#pareto-btn").addEventListener("click", () => doRouteSet("pareto"));
  $("#iso-form").addEventListener("submit", (e) => doIsochrone(e));
  $("#cmp-form").addEventListener("submit", (e) => doCompare(e));
  $("#panel-toggle").addEventListener("click", togglePanel);
  document.querySelectorAll("button[data-download]").forEach((b) => b.addEventListener("click", () => download(b.dataset.download, b.dataset.format)));
  document.querySelectorAll("button.permalink").forEach((b) => b.addEventListener("click", copyLink));
  try {
    const res = await api("/api/profiles");
    const sel = $("#profile");
    for (const p of res.profiles) {
      const opt = document.createElement("option");
      opt.value = p.id;
      opt.textContent = `${p.id} – ${p.name}`;
      sel.appendChild(opt);
      $("#iso-profile").appendChild(opt.cloneNode(true));
    }
    sel.value = "container40";
    await loadScenarios();
  } catch (e) {
    say("#message", e.message, true);
  }
}
// the one palette of corridor (corridor.report.palette, served as /palette.js)
if (window.CORRIDOR_PALETTE) { const p = window.CORRIDOR_PALETTE; Object.assign(MODE_COLOURS, p.mode); Object.assign(STOP_COLOURS, p.stop); Object.assign(CHANGE_COLOURS, p.change); BAND_COLOURS.splice(0, BAND_COLOURS.length, ...p.bands.slice(0, BAND_COLOURS.length)); ROUTE_COLOURS.splice(0, ROUTE_COLOURS.length, ...p.alternatives); }

app.ready = init();
