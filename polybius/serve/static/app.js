// The Polybius page: filters, a timeline, a map and a list of canonical events (one per real-world
// happening, merged across articles and outlets); clicking one shows the evidence of each report.
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
  if (!days.length) { caption.textContent = "Timeline: no dated reports"; return; }
  const first = new Date(days[0].day), last = new Date(days[days.length - 1].day);
  const span = (last - first) / 86400000;
  const unit = span <= 120 ? "day" : span <= 1000 ? "week" : "month";
  caption.textContent = `Reports per ${unit}, stacked by type (${days[0].day} to ${days[days.length - 1].day})`;
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
    const {lat, lon} = ev;
    if (lat === null || lon === null || (lat === 0 && lon === 0)) continue;
    const marker = L.circleMarker([lat, lon], {radius: 5 + Math.min(ev.n_sources, 6), color: "#333", weight: 1,
                                               fillColor: colorOf(ev.type), fillOpacity: 0.85});
    // a DOM node, not an HTML string: names are untrusted text
    marker.bindTooltip(el("span", {}, `${ev.type} · ${ev.place_name || ""} · ${ev.date_start || "undated"} · ${outlets(ev.n_sources)}`));
    marker.on("click", () => showCanonical(ev));
    state.markers.addLayer(marker);
  }
}

// -- list ------------------------------------------------------------------------------------

function outlets(n) {
  return `reported by ${n} outlet${n === 1 ? "" : "s"}`;
}

function participants(ev) {
  const who = ev.actor_names.join(", ") || "someone";
  return ev.recipient_names.length ? `${who} → ${ev.recipient_names.join(", ")}` : who;
}

function drawList(page) {
  const list = document.getElementById("list");
  list.replaceChildren();
  const total = page.total === null ? `${page.events.length}+` : String(page.total);
  document.getElementById("count").textContent =
    `${total} events (merged across articles and outlets)` +
    (page.next_cursor ? ` (showing the first ${page.events.length})` : "");
  for (const ev of page.events) {
    const item = el("li", {"data-key": ev.key, tabindex: "0"},
      el("span", {class: "outlets"}, outlets(ev.n_sources)),
      el("span", {class: "date"}, ev.date_start || "undated"),
      el("span", {class: "type"}, ev.type),
      participants(ev),
      ev.place_name ? ` · ${ev.place_name}` : "");
    item.addEventListener("click", () => showCanonical(ev));
    item.addEventListener("keydown", e => { if (e.key === "Enter") showCanonical(ev); });
    list.appendChild(item);
  }
}

// -- evidence --------------------------------------------------------------------------------

function highlighted(text, mentions) {
  // Cut the text at every span edge; each piece gets the classes of the spans covering it.
  const cuts = new Set([0, text.length]);
  for (const m of mentions) { cuts.add(m.span[0]); cuts.add(m.span[1]); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = el("div", {class: "article-text"});
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

const MAX_REPORTS = 8;  // evidence of more member reports is one click away in the list

function sayer(src) {
  // an article without an outlet name (no URL) is keyed by its id: show its start, as the server does
  return src.startsWith("sha256:") ? `unnamed outlet (article ${src.slice(7, 15)})` : src;
}

function noteText(note) {
  // a note starts with who gives it: an outlet, or the id of an article without one
  const m = /^(sha256:[0-9a-f]+): /.exec(note);
  return m ? `${sayer(m[1])}: ${note.slice(m[0].length)}` : note;
}

function figures(ev) {
  const out = [];
  for (const name of ["killed", "injured", "arrested"]) {
    const values = ev[name].values;
    if (!values.length) continue;
    const who = Object.entries(ev[name].by_source).map(([src, v]) => `${v.join("/")} per ${sayer(src)}`);
    out.push(values.length > 1 ? `${name}: ${who.join("; ")}` : `${name} ${values[0]}`);
  }
  return out.join(", ") || "not reported";
}

async function reportSection(ref) {
  // One member report: who printed it, what it says, and its article with the spans highlighted.
  const head = el("h3", {}, `${ref.source || "unknown outlet"} — ${ref.title || "(untitled)"} — ${ref.published || "no date"}`);
  const section = el("section", {class: "report", "data-key": ref.key}, head,
                     el("div", {class: "report-attribution"}, `${ref.type}: ${ref.attribution}`));
  let detail;
  try {
    detail = await getJSON("/events/" + ref.key.split("/").map(encodeURIComponent).join("/"));
  } catch (err) { section.appendChild(el("p", {class: "hint"}, "evidence unavailable: " + err.message)); return section; }
  const art = detail.article;
  if (art.url && /^https?:\/\//.test(art.url)) {
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("a", {href: art.url, rel: "noopener noreferrer", target: "_blank"}, "open"));
  }
  const kinds = [...new Set(detail.mentions.map(m => m.kind))];
  section.appendChild(el("div", {class: "keys"}, ...kinds.map(keyOf)));
  section.appendChild(highlighted(art.text, detail.mentions));
  for (const q of detail.quotes) {
    section.appendChild(el("blockquote", {class: "quote"}, `${q.speaker_name || "unattributed"}: “${q.text}”`));
  }
  return section;
}

async function showCanonical(ev) {
  const token = Symbol(ev.key);
  state.selected = token;
  for (const li of document.querySelectorAll("#list li")) li.classList.toggle("selected", li.dataset.key === ev.key);
  const box = document.getElementById("detail");
  const shown = ev.reports.slice(0, MAX_REPORTS);
  const sections = await Promise.all(shown.map(reportSection));
  if (state.selected !== token) return;  // another event was clicked meanwhile
  const factuality = Object.entries(ev.factuality).map(([s, n]) => `${n} ${s}`).join(", ");
  box.replaceChildren(
    el("h2", {}, `${ev.type} — ${participants(ev)}`),
    el("div", {class: "attribution", id: "attribution"}, ev.attribution),
    el("dl", {},
      el("dt", {}, "date"), el("dd", {}, `${ev.date_start || "unknown"} (${ev.date_precision}, from ${ev.date_basis})`),
      el("dt", {}, "place"), el("dd", {}, ev.place_name ? `${ev.place_name}${ev.country ? ", " + ev.country : ""} (${ev.resolution || "?"})` : "not located"),
      el("dt", {}, "figures"), el("dd", {}, figures(ev)),
      el("dt", {}, "reports"), el("dd", {}, `${ev.n_articles} article${ev.n_articles === 1 ? "" : "s"} (${factuality}); first reported ${ev.first_reported || "on an unknown date"}`),
      ...(ev.notes.length ? [el("dt", {}, "notes"), el("dd", {}, ev.notes.map(noteText).join(" · "))] : [])),
    ...sections,
    ...(ev.reports.length > shown.length ? [el("p", {class: "hint"}, `${ev.reports.length - shown.length} more reports: filter the list to see them`)] : []));
  const first = box.querySelector("mark.hl-evidence");
  if (first) first.scrollIntoView({block: "center"});
}

// -- wiring ----------------------------------------------------------------------------------

async function refresh() {
  const params = filterParams();
  try {
    const listParams = new URLSearchParams(params);
    listParams.set("limit", "500");
    listParams.set("count", "true");
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
