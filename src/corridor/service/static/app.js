/* corridor web planner: MapLibre GL JS with GeoJSON sources only (no tiles, no CDN). */
"use strict";

const MODE_COLOURS = { road: "#d6604d", rail: "#2166ac", ferry: "#1b9e77", transfer: "#999999", air: "#e7298a" };
const STOP_COLOURS = {
  border_crossing: "#b2182b", gauge_change: "#762a83", transfer: "#f1a340", terminal: "#222222",
};
const BAND_COLOURS = ["#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027"];
const CHANGE_COLOURS = {
  added: "#00a651", reopened: "#66c2a5", closed: "#e7298a", faster: "#1f78b4", slower: "#ff7f00",
  toll: "#6a3d9a", crossing: "#b2182b",
};
const ROUTE_COLOURS = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628"];
const CONTRAST = {
  truck20: "container20", truck40: "container40", container20: "truck20", container40: "truck40",
  "grain-wagon": "truck40", car: "train", bus: "train", train: "bus",
};
const EMPTY = { type: "FeatureCollection", features: [] };

const app = {
  loaded: false, lastRoute: null, routeSet: null, visible: new Set(), placeIds: {}, labels: [],
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
    throw err;
  }
  return data;
}

function say(target, text, isError = false) {
  const el = $(target);
  el.textContent = text;
  el.className = isError ? "error" : "";
}

/* ---------- map ---------- */

const style = {
  version: 8,
  sources: {
    countries: { type: "geojson", data: "/api/outlines.geojson" },
    network: { type: "geojson", data: "/api/network.geojson" },
    alts: { type: "geojson", data: EMPTY },
    route: { type: "geojson", data: EMPTY },
    iso: { type: "geojson", data: EMPTY },
    cmp: { type: "geojson", data: EMPTY },
  },
  layers: [
    { id: "background", type: "background", paint: { "background-color": "#dfeaf2" } },
    { id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f7f5ee" } },
    { id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#aaa", "line-width": 0.7 } },
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
      paint: {
        "line-width": 2.5,
        "line-color": ["match", ["get", "band"], 0, BAND_COLOURS[0], 1, BAND_COLOURS[1], 2, BAND_COLOURS[2],
          3, BAND_COLOURS[3], 4, BAND_COLOURS[4], 5, BAND_COLOURS[5], "#bbbbbb"],
      },
    },
    {
      id: "iso-nodes", type: "circle", source: "iso", filter: ["==", ["get", "kind"], "node"],
      paint: {
        "circle-radius": 3.5, "circle-stroke-color": "#333", "circle-stroke-width": 0.5,
        "circle-color": ["match", ["get", "band"], 0, BAND_COLOURS[0], 1, BAND_COLOURS[1], 2, BAND_COLOURS[2],
          3, BAND_COLOURS[3], 4, BAND_COLOURS[4], 5, BAND_COLOURS[5], "#bbbbbb"],
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
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-width": 4, "line-opacity": 0.75, "line-dasharray": [2, 1],
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
    const health = await api("/api/health");
    $("#network-name").textContent = `${health.network}: ${health.nodes} nodes, ${health.links} links`;
    const [x0, y0, x1, y1] = health.bbox;
    map.fitBounds([[x0, y0], [x1, y1]], { padding: 20, duration: 0 });
  } catch (e) {
    say("#message", e.message, true);
  }
  showTab("route");
  app.loaded = true;
});
map.on("error", (e) => console.warn("map:", e && e.error ? e.error.message : e));

const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false });
for (const layer of ["route-stops", "network-nodes", "iso-nodes", "cmp-places", "cmp-crossings"]) {
  map.on("mousemove", layer, (e) => {
    const p = e.features[0].properties;
    let text = p.name || "";
    if (p.kind && layer !== "network-nodes" && layer !== "cmp-places") text += ` · ${p.kind}`;
    if (p.detail) text += ` · ${p.detail}`;
    if (p.time_h !== undefined && p.time_h !== null) text += ` · ${fmt(p.time_h, 1)} h`;
    if (p.mean_d_time_h !== undefined) text += ` · Δ ${fmt(p.mean_d_time_h, 2)} h mean`;
    popup.setLngLat(e.lngLat).setText(text).addTo(map);
  });
  map.on("mouseleave", layer, () => popup.remove());
}

function fitTo(features) {
  let x0 = 180, y0 = 90, x1 = -180, y1 = -90;
  for (const f of features) {
    const g = f.geometry;
    const pts = g.type === "Point" ? [g.coordinates] : g.coordinates;
    for (const [x, y] of pts) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  }
  if (x0 <= x1) map.fitBounds([[x0, y0], [x1, y1]], { padding: 60, duration: 0, maxZoom: 7 });
}

function setData(source, data) { map.getSource(source).setData(data); }

/* Text labels as DOM markers: symbol layers would need a glyph (font) server, which an
   offline page does not have. One label per place, however many stops it has. */
function clearLabels() {
  for (const m of app.labels) m.remove();
  app.labels = [];
}

function addLabel(text, lngLat, kind) {
  const el = document.createElement("div");
  el.className = `map-label ${kind}`;
  el.dataset.kind = kind;
  el.textContent = text;
  app.labels.push(new maplibregl.Marker({ element: el, anchor: "left", offset: [8, 0] })
    .setLngLat(lngLat).addTo(map));
}

function labelRoute(r) {
  clearLabels();
  const legs = r.features.features.filter((f) => f.properties.kind === "leg");
  if (legs.length) {
    addLabel(r.origin.name, legs[0].geometry.coordinates[0], "endpoint");
    addLabel(r.destination.name, legs[legs.length - 1].geometry.coordinates.slice(-1)[0], "endpoint");
  }
  const seen = new Set([r.origin.name, r.destination.name]);
  for (const f of r.features.features) {
    const k = f.properties.kind;
    if ((k === "border_crossing" || k === "gauge_change") && !seen.has(f.properties.name)) {
      seen.add(f.properties.name);
      addLabel(f.properties.name, f.geometry.coordinates, k);
    }
  }
}

function legend(items) {
  $("#legend").innerHTML = items.map(([c, t]) => `<div><span class="swatch" style="background:${c}"></span>${esc(t)}</div>`).join("");
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

/* ---------- route ---------- */

function routeRequest() {
  const body = { origin: placeOf("#origin"), destination: placeOf("#destination") };
  const profile = $("#profile").value;
  const optimize = $("#optimize").value;
  if (profile) body.profile = profile;
  if (optimize) body.optimize = optimize;
  return body;
}

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
      + `<td class="num">@${fmt(x.at_km)}</td><td class="num">${fmt(x.time_h + x.wait_h, 1)}</td><td class="num">${fmt(x.cost_usd)}</td></tr>`;
  }).join("");
  legend([
    ...Object.entries(MODE_COLOURS).filter(([m]) => m !== "transfer").map(([m, c]) => [c, m]),
    ...Object.entries(STOP_COLOURS).map(([k, c]) => [c, k.replace("_", " ")]),
  ]);
}

async function doRoute(ev) {
  if (ev) ev.preventDefault();
  say("#message", "searching…");
  try {
    const r = await api("/api/route", routeRequest());
    app.routeSet = null;
    setData("alts", EMPTY);
    $("#alternatives").innerHTML = "";
    showRoute(r);
    fitTo(r.features.features);
    say("#message", "");
    await doTcd(r);
  } catch (e) {
    say("#message", e.message, true);
  }
}

function drawAlternatives() {
  const rs = app.routeSet;
  const feats = [];
  rs.routes.forEach((r, i) => {
    if (!app.visible.has(i)) return;
    for (const f of r.features.features) {
      if (f.properties.kind === "leg") feats.push({ ...f, properties: { ...f.properties, alt: i, colour: ROUTE_COLOURS[i % ROUTE_COLOURS.length] } });
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
    app.routeSet = rs;
    app.visible = new Set(rs.routes.map((_, i) => i));
    const box = $("#alternatives");
    box.innerHTML = `<h2>${method === "pareto" ? "Pareto set" : "Alternatives"} (${rs.routes.length})</h2>`
      + `<p class="muted">${esc(rs.method)}</p>`
      + rs.routes.map((r, i) => {
        const via = [...new Set(r.stops.filter((s) => s.kind === "border_crossing").map((s) => s.name))].join(", ") || "no crossing";
        const modes = [...new Set(r.legs.map((l) => l.mode))].join("+");
        return `<label><input type="checkbox" data-alt="${i}" checked>`
          + `<span class="swatch" style="background:${ROUTE_COLOURS[i % ROUTE_COLOURS.length]}"></span>`
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
    if (rs.routes.length) {
      showRoute(rs.routes[0]);
      fitTo(rs.routes.flatMap((r) => r.features.features));
    }
    say("#message", "");
  } catch (e) {
    say("#message", e.message, true);
  }
}

/* ---------- time/cost-distance chart ---------- */

async function doTcd(r) {
  const first = r.profile || "truck40";
  const second = CONTRAST[first] || "container40";
  const box = $("#tcd");
  try {
    const t = await api("/api/tcd", {
      origin: r.origin.node_id, destination: r.destination.node_id, profiles: [first, second],
    });
    box.innerHTML = tcdSvg(t.table);
  } catch (e) {
    // one profile may not reach the destination: chart the route's own profile alone
    try {
      const t = await api("/api/tcd", { origin: r.origin.node_id, destination: r.destination.node_id, profiles: [first] });
      box.innerHTML = tcdSvg(t.table) + `<p class="muted">${esc(second)}: ${esc(e.message)}</p>`;
    } catch (e2) {
      box.innerHTML = `<p class="muted">no chart: ${esc(e2.message)}</p>`;
    }
  }
}

function tcdSvg(table) {
  const W = 410, H = 330, L = 52, R = 10, T = 14, gap = 34;
  const h = (H - T - gap - 26) / 2;
  const series = {};
  for (const row of table) (series[row.route] = series[row.route] || []).push(row);
  const names = Object.keys(series);
  const maxX = Math.max(1, ...table.map((x) => x.cum_distance_km));
  const maxC = Math.max(1, ...table.map((x) => x.cum_cost_usd));
  const maxT = Math.max(1, ...table.map((x) => x.cum_time_h));
  const X = (v) => L + (v / maxX) * (W - L - R);
  const panel = (top, key, maxY, label) => {
    const Y = (v) => top + h - (v / maxY) * h;
    let s = `<rect x="${L}" y="${top}" width="${W - L - R}" height="${h}" fill="none" stroke="#ccc"/>`;
    s += `<text x="4" y="${top + 10}" font-size="10">${label}</text>`;
    s += `<text x="${L - 4}" y="${top + 10}" font-size="9" text-anchor="end">${fmt(maxY)}</text>`;
    s += `<text x="${L - 4}" y="${top + h}" font-size="9" text-anchor="end">0</text>`;
    names.forEach((n, i) => {
      const pts = series[n].map((row) => `${X(row.cum_distance_km).toFixed(1)},${Y(row[key]).toFixed(1)}`).join(" ");
      s += `<polyline class="tcd-line" data-route="${esc(n)}" points="${pts}" fill="none" stroke="${ROUTE_COLOURS[i % ROUTE_COLOURS.length]}" stroke-width="2"/>`;
    });
    return s;
  };
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="time/cost-distance chart">`;
  svg += panel(T, "cum_cost_usd", maxC, "US$");
  svg += panel(T + h + gap, "cum_time_h", maxT, "hours");
  svg += `<text x="${W - R}" y="${H - 14}" font-size="9" text-anchor="end">${fmt(maxX)} km</text>`;
  names.forEach((n, i) => {
    svg += `<rect x="${L + i * 150}" y="${H - 12}" width="10" height="10" fill="${ROUTE_COLOURS[i % ROUTE_COLOURS.length]}"/>`
      + `<text x="${L + 14 + i * 150}" y="${H - 3}" font-size="10">${esc(n)}</text>`;
  });
  return svg + "</svg>";
}

/* ---------- isochrones ---------- */

async function doIsochrone(ev) {
  ev.preventDefault();
  const hours = $("#iso-hours").value.split(/[ ,;]+/).filter(Boolean).map(Number);
  say("#iso-message", "computing…");
  try {
    const r = await api("/api/isochrone", { origin: placeOf("#iso-origin"), hours, modes: $("#iso-modes").value });
    setData("iso", r.features);
    const body = $("#iso-table tbody");
    body.innerHTML = r.bands.map((b, i) => `<tr><td><span class="swatch" style="background:${BAND_COLOURS[i]}"></span>${fmt(b.hours)} h</td>`
      + `<td class="num">${b.nodes}</td><td class="num">${fmt(b.population)}</td></tr>`).join("");
    legend([...r.bands.map((b, i) => [BAND_COLOURS[i], `within ${fmt(b.hours)} h`]), ["#bbbbbb", "further / unreachable"]]);
    say("#iso-message", `${r.origin.name} by ${r.modes.join("+")}: ${r.unreachable} nodes unreachable`);
  } catch (e) {
    say("#iso-message", e.message, true);
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
  ev.preventDefault();
  say("#cmp-message", "comparing (the first time takes a few seconds)…");
  try {
    const c = await api("/api/compare", { base: $("#cmp-base").value, other: $("#cmp-other").value });
    setData("cmp", c.changes);
    const s = Object.entries(c.summary).map(([k, v]) => `${v} ${k}`).join(", ") || "no link or crossing changed";
    $("#cmp-summary").innerHTML = `<p><b>${esc(c.base)} → ${esc(c.other)}</b>: ${esc(s)}; ${c.places} places compared.</p>`;
    $("#cmp-table tbody").innerHTML = c.headline.map((h) => `<tr><td>${esc(h.profile)}</td><td>${esc(h.origin)}</td><td>${esc(h.destination)}</td>`
      + `<td class="num">${fmt(h.time_h_before, 1)}</td><td class="num">${fmt(h.time_h_after, 1)}</td>`
      + `<td class="num">${fmt(h.d_time_h, 1)}</td><td class="num">${fmt(h.d_cost_usd)}</td></tr>`).join("");
    legend([...Object.entries(CHANGE_COLOURS).map(([k, c2]) => [c2, k]), ["#1a9850", "place: faster on average"], ["#d73027", "place: slower on average"]]);
    fitTo(c.changes.features);
    say("#cmp-message", "");
  } catch (e) {
    say("#cmp-message", e.message, true);
  }
}

/* ---------- wiring ---------- */

function showTab(name) {
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.id === `tab-${name}`));
  const show = {
    route: ["route-legs", "route-stops", "alt-legs"], isochrone: ["iso-links", "iso-nodes"],
    compare: ["cmp-links", "cmp-places", "cmp-crossings"],
  };
  for (const [tab, layers] of Object.entries(show)) {
    for (const l of layers) if (map.getLayer(l)) map.setLayoutProperty(l, "visibility", tab === name ? "visible" : "none");
  }
  for (const m of app.labels) m.getElement().style.display = name === "route" ? "" : "none";
}

async function init() {
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
  autocomplete("#origin", "#origin-list");
  autocomplete("#destination", "#destination-list");
  autocomplete("#iso-origin", "#iso-list");
  $("#route-form").addEventListener("submit", doRoute);
  $("#alt-btn").addEventListener("click", () => doRouteSet("alternatives"));
  $("#pareto-btn").addEventListener("click", () => doRouteSet("pareto"));
  $("#iso-form").addEventListener("submit", doIsochrone);
  $("#cmp-form").addEventListener("submit", doCompare);
  try {
    const res = await api("/api/profiles");
    const sel = $("#profile");
    for (const p of res.profiles) {
      const opt = document.createElement("option");
      opt.value = p.id;
      opt.textContent = `${p.id} – ${p.name}`;
      sel.appendChild(opt);
    }
    sel.value = "container40";
    await loadScenarios();
  } catch (e) {
    say("#message", e.message, true);
  }
}
// the one palette of corridor (corridor.report.palette, served as /palette.js)
if (window.CORRIDOR_PALETTE) { const p = window.CORRIDOR_PALETTE; Object.assign(MODE_COLOURS, p.mode); Object.assign(STOP_COLOURS, p.stop); Object.assign(CHANGE_COLOURS, p.change); BAND_COLOURS.splice(0, BAND_COLOURS.length, ...p.bands.slice(0, BAND_COLOURS.length)); ROUTE_COLOURS.splice(0, ROUTE_COLOURS.length, ...p.alternatives); }

init();
