// The Polybius page: filters, a timeline, a map and a list of events; clicking an event shows
// the article text with the event's spans highlighted.
// Article text and names are untrusted: they only ever enter the page as text nodes
// (textContent / createTextNode), never as HTML.
"use strict";

const STATUSES = ["asserted", "reported", "claimed", "disputed", "denied", "negated", "future", "hypothetical"];
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22",
                 "#7f7f7f", "#d62728", "#2ca02c", "#9467bd", "#e377c2", "#aec7e8"];
const KIND_NAMES = {evidence: "evidence sentence", trigger: "trigger", actor: "actor",
                    recipient: "recipient", source: "who says so", place: "place", time: "time",
                    number: "number"};
const state = {colors: {}, map: null, markers: null, selected: null};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = false;
  setTimeout(() => { box.hidden = true; }, 6000);
}

async function getJSON(url) {
  const response = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(document.getElementById("filters"))) {
    if (String(value).trim()) params.append(name, String(value).trim());
  }
  return params;
}

function colorOf(type) {
  if (!state.colors[type]) {
    state.colors[type] = PALETTE[Object.keys(state.colors).length % PALETTE.length];
  }
  return state.colors[type];
}

// -- timeline --------------------------------------------------------------------------------

function binOf(day, unit) {
  if (unit === "day") return day;
  if (unit === "month") return day.slice(0, 7) + "-01";
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));  // Monday of its week
  return d.toISOString().slice(0, 10);
}

function drawTimeline(stats) {
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  const days = stats.by_day;
  const caption = document.getElementById("timeline-caption");
  if (!days.length) { caption.textContent = "Timeline: no dated events"; return; }
  const first = new Date(days[0].day), last = new Date(days[days.length - 1].day);
  const span = (last - first) / 86400000;
  const unit = span <= 120 ? "day" : span <= 1000 ? "week" : "month";
  caption.textContent = `Events per ${unit}, stacked by type (${days[0].day} to ${days[days.length - 1].day})`;
  const bins = new Map();
  for (const {day, type, events} of days) {
    const key = binOf(day, unit);
    if (!bins.has(key)) bins.set(key, {});
    bins.get(key)[type] = (bins.get(key)[type] || 0) + events;
  }
  const keys = [...bins.keys()].sort();
  const width = svg.clientWidth || 600, height = 110, bottom = 14;
  const max = Math.max(...keys.map(k => Object.values(bins.get(k)).reduce((a, b) => a + b, 0)));
  const t0 = new Date(keys[0]).getTime(), t1 = new Date(keys[keys.length - 1]).getTime();
  const step = Math.max(2, Math.min(24, (width - 20) / Math.max(keys.length, (t1 - t0) / ({day: 1, week: 7, month: 30}[unit] * 86400000) + 1)));
  const ns = "http://www.w3.org/2000/svg";
  const x = k => 10 + (t1 === t0 ? 0 : (new Date(k).getTime() - t0) / (t1 - t0) * (width - 20 - step));
  for (const key of keys) {
    let y = height - bottom;
    for (const [type, n] of Object.entries(bins.get(key)).sort()) {
      const h = n / max * (height - bottom - 6);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", x(key)); rect.setAttribute("y", y - h);
      rect.setAttribute("width", Math.max(1, step - 1)); rect.setAttribute("height", h);
      rect.setAttribute("fill", colorOf(type));
      const title = document.createElementNS(ns, "title");
      title.textContent = `${key}: ${n} ${type}`;
      rect.appendChild(title);
      svg.appendChild(rect);
      y -= h;
    }
  }
  for (const [k, anchor] of [[keys[0], "start"], [keys[keys.length - 1], "end"]]) {
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", anchor === "start" ? 10 : width - 10); label.setAttribute("y", height - 2);
    label.setAttribute("text-anchor", anchor); label.setAttribute("font-size", "10");
    label.textContent = k;
    svg.appendChild(label);
  }
  for (const type of Object.keys(stats.by_type)) {
    const swatch = el("i");
    swatch.style.background = colorOf(type);
    legend.appendChild(el("span", {}, swatch, `${type} ${stats.by_type[type]}`));
  }
}

// -- map -------------------------------------------------------------------------------------

async function initMap() {
  if (!window.L) { document.getElementById("map").textContent = "map library not built (run make web)"; return; }
  state.map = L.map("map", {worldCopyJump: true, attributionControl: false}).setView([20, 10], 2);
  try {
    const world = await getJSON("/static/vendor/countries.geojson");
    L.geoJSON(world, {style: {color: "#999", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(state.map);
  } catch (err) { showError("world outline missing: " + err.message); }
  state.markers = L.layerGroup().addTo(state.map);
}

function drawMarkers(events) {
  if (!state.map) return;
  state.markers.clearLayers();
  for (const ev of events) {
    const {lat, lon} = ev.place;
    if (lat === null || lon === null || (lat === 0 && lon === 0)) continue;
    const marker = L.circleMarker([lat, lon], {radius: 6, color: "#333", weight: 1,
                                               fillColor: colorOf(ev.type), fillOpacity: 0.85});
    // a DOM node, not an HTML string: names are untrusted text
    marker.bindTooltip(el("span", {}, `${ev.type} · ${ev.place.name || ""} · ${ev.date.start || "undated"}`));
    marker.on("click", () => showEvent(ev.key));
    state.markers.addLayer(marker);
  }
}

// -- list ------------------------------------------------------------------------------------

function participants(ev) {
  const who = ev.actor_names.join(", ") || "someone";
  return ev.recipient_names.length ? `${who} → ${ev.recipient_names.join(", ")}` : who;
}

function drawList(page) {
  const list = document.getElementById("list");
  list.replaceChildren();
  document.getElementById("count").textContent =
    `${page.total} events` + (page.total > page.events.length ? ` (showing ${page.events.length})` : "");
  for (const ev of page.events) {
    const item = el("li", {"data-key": ev.key, tabindex: "0"},
      el("span", {class: "status"}, ev.factuality.status),
      el("span", {class: "date"}, ev.date.start || "undated"),
      el("span", {class: "type"}, ev.type),
      participants(ev),
      ev.place.name ? ` · ${ev.place.name}` : "");
    item.addEventListener("click", () => showEvent(ev.key));
    item.addEventListener("keydown", e => { if (e.key === "Enter") showEvent(ev.key); });
    list.appendChild(item);
  }
}

// -- evidence --------------------------------------------------------------------------------

function highlighted(text, mentions) {
  // Cut the text at every span edge; each piece gets the classes of the spans covering it.
  const cuts = new Set([0, text.length]);
  for (const m of mentions) { cuts.add(m.span[0]); cuts.add(m.span[1]); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = el("div", {id: "article-text"});
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = mentions.filter(m => m.span[0] <= start && end <= m.span[1]);
    const piece = text.slice(start, end);
    if (!covering.length) { box.appendChild(document.createTextNode(piece)); continue; }
    const mark = el("mark", {class: covering.map(m => "hl-" + m.kind).join(" "),
                             title: covering.map(m => m.label).join("; ")}, piece);
    box.appendChild(mark);
  }
  return box;
}

function keyOf(kind) {
  return el("span", {class: "hl-" + kind}, KIND_NAMES[kind] || kind);
}

async function showEvent(key) {
  let detail;
  try {
    detail = await getJSON("/events/" + key.split("/").map(encodeURIComponent).join("/"));
  } catch (err) { showError(err.message); return; }
  for (const li of document.querySelectorAll("#list li")) li.classList.toggle("selected", li.dataset.key === key);
  const ev = detail.event, art = detail.article;
  const kinds = [...new Set(detail.mentions.map(m => m.kind))];
  const size = Object.entries(ev.size).filter(([k, v]) => k !== "spans" && v !== null).map(([k, v]) => `${k} ${v}`);
  const box = document.getElementById("detail");
  const link = art.url && /^https?:\/\//.test(art.url) ? el("a", {href: art.url, rel: "noopener noreferrer", target: "_blank"}, art.source || art.url) : null;
  box.replaceChildren(
    el("h2", {}, `${ev.type}${ev.mode.length ? " (" + ev.mode.join(", ") + ")" : ""} — ${participants(ev)}`),
    el("div", {class: "attribution", id: "attribution"}, ev.attribution),
    el("dl", {},
      el("dt", {}, "date"), el("dd", {}, `${ev.date.start || "unknown"} (${ev.date.precision}, from ${ev.date.basis})`),
      el("dt", {}, "place"), el("dd", {}, ev.place.name ? `${ev.place.name}${ev.place.country_code ? ", " + ev.place.country_code : ""} (${ev.place.resolution || "?"})` : "not located"),
      el("dt", {}, "size"), el("dd", {}, size.join(", ") || "not reported"),
      el("dt", {}, "article"), el("dd", {}, `${art.title || "(untitled)"} — ${art.published || "no date"} `, link),
      el("dt", {}, "rule"), el("dd", {}, `${ev.rule} (confidence ${ev.confidence})`)),
    el("div", {class: "keys"}, ...kinds.map(keyOf)),
    highlighted(art.text, detail.mentions),
    ...detail.quotes.map(q => el("blockquote", {class: "quote"}, `${q.speaker_name || "unattributed"}: “${q.text}”`)));
  const first = box.querySelector("mark.hl-evidence");
  if (first) first.scrollIntoView({block: "center"});
}

// -- wiring ----------------------------------------------------------------------------------

async function refresh() {
  const params = filterParams();
  try {
    const listParams = new URLSearchParams(params);
    listParams.set("limit", "500");
    const [stats, page] = await Promise.all([getJSON("/stats?" + params), getJSON("/events?" + listParams)]);
    drawTimeline(stats);
    drawList(page);
    drawMarkers(page.events);
  } catch (err) { showError(err.message); }
  for (const a of document.querySelectorAll("#exports a")) {
    const p = new URLSearchParams(params);
    p.set("format", a.dataset.format);
    a.href = "/export?" + p;
  }
}

async function start() {
  const stats = await getJSON("/stats");
  const typeSelect = document.getElementById("f-type");
  for (const type of Object.keys(stats.by_type).sort()) typeSelect.appendChild(el("option", {value: type}, type));
  const statusSelect = document.getElementById("f-status");
  for (const s of STATUSES) statusSelect.appendChild(el("option", {value: s}, s));
  document.getElementById("filters").addEventListener("submit", e => { e.preventDefault(); refresh(); });
  document.getElementById("f-reset").addEventListener("click", () => { document.getElementById("filters").reset(); refresh(); });
  await initMap();
  await refresh();
  document.body.dataset.ready = "1";
}

start().catch(err => showError(err.message));
