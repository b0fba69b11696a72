// The topology as an SVG graph: one node per peer, dragged (pointer or arrow keys) onto a grid,
// panned and zoomed. Positions are shared by every browser through api/graph-layout and its event
// stream. A poll only touches what changed, and a drag moves one node and its edges per frame.

import { h, s, uid } from "../dom.js";
import { t } from "../i18n.js";
import { api, eventStream } from "../api.js";
import { rate, latency } from "../format.js";
import { button, badge, toast, errorMessage } from "../ui.js";
import { redraw } from "../entries.js";
import { peerState, direction, latencyText, upDown, rowActions, nestedToggle, peerDetails } from "./nodes-tree.js";

const GRID = 20;
const RADIUS = 14;
const RING = 160;
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const snap = (v) => Math.round(v / GRID) * GRID;

/** One node per graph key (its shallowest row) and one edge per dialler → dialled link. */
function graphModel(rows) {
  const nodes = new Map();
  const edges = new Map();
  for (const row of rows) {
    const known = nodes.get(row.nodeKey);
    if (!known || row.level < known.level) nodes.set(row.nodeKey, row);
  }
  for (const row of rows) {
    if (!row.parentKey || row.parentKey === row.nodeKey) continue;
    const [from, to] = row.entry.direction === "inbound" ? [row.nodeKey, row.parentKey] : [row.parentKey, row.nodeKey];
    const key = `${from}>${to}`;
    if (!edges.has(key)) edges.set(key, { key, from, to, row });
  }
  return { nodes, edges };
}

/**
 * Rings around this node by hops, each node at a fixed place for the same topology. A crowded
 * hop is spread over several rings, alternating, so nodes keep apart.
 */
function autoLayout(model) {
  const levels = [];
  for (const row of model.nodes.values()) (levels[row.level] ??= []).push(row.nodeKey);
  const positions = new Map();
  let radius = 0;
  levels.forEach((keys, level) => {
    keys.sort();
    if (level === 0) { keys.forEach((key) => positions.set(key, { x: 0, y: 0 })); return; }
    radius += RING;
    const rings = Math.ceil((keys.length * 60) / (2 * Math.PI * radius));
    keys.forEach((key, i) => {
      const r = radius + (i % rings) * 70;
      const angle = (2 * Math.PI * i) / keys.length - Math.PI / 2 + level * 0.4;
      positions.set(key, { x: snap(r * Math.cos(angle)), y: snap(r * Math.sin(angle)) });
    });
    radius += (rings - 1) * 70;
  });
  return positions;
}

/** The graph view. `update(rows)` after each poll, `shown()` when its tab opens, `destroy()`. */
export function graphView(ctx) {
  const positions = new Map();
  const nodeEls = new Map();
  const edgeEls = new Map();
  const incident = new Map();
  const pending = new Set();
  let model = { nodes: new Map(), edges: new Map() };
  let stored = {};
  let view = { x: -320, y: -200, w: 640, h: 400 };
  let selected = null;
  let dragging = null;
  let fitted = false;
  let frame = 0;
  let saveTimer = 0;
  let detailSignature = "";
  let detailLive = null;

  const ids = { marker: uid("arrow"), grid: uid("grid"), help: uid("graph-help") };
  const edgeLayer = s("g", { class: "edges" });
  const labelLayer = s("g", { class: "edge-labels" });
  const nodeLayer = s("g", { class: "nodes" });
  const svg = s("svg", { class: "graph", role: "group", tabindex: "0", "aria-label": t("nodes.graph.label"),
    "aria-describedby": ids.help, onkeydown: onViewKey, onpointerdown: startPan },
  s("title", {}, t("nodes.graph.label")),
  s("defs", {},
    s("marker", { id: ids.marker, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" },
      s("path", { d: "M0 0L10 5L0 10z", class: "arrow" })),
    s("pattern", { id: ids.grid, width: GRID, height: GRID, patternUnits: "userSpaceOnUse" },
      s("path", { d: `M${GRID} 0H0V${GRID}`, class: "grid-line" }))),
  s("rect", { class: "grid-bg", x: -1e5, y: -1e5, width: 2e5, height: 2e5, fill: `url(#${ids.grid})` }),
  edgeLayer, labelLayer, nodeLayer);
  svg.addEventListener("wheel", onWheel, { passive: false });
  const details = h("div", { class: "graph-details" });
  const element = h("div", { class: "graph-wrap" },
    h("div", { class: "btn-row graph-tools" },
      button("+", () => zoom(1 / 1.25), { class: "btn btn-small", "aria-label": t("nodes.graph.zoomIn") }),
      button("−", () => zoom(1.25), { class: "btn btn-small", "aria-label": t("nodes.graph.zoomOut") }),
      button(t("nodes.graph.fit"), () => fit(), { class: "btn btn-small" })),
    svg, h("p", { class: "help", id: ids.help }, t("nodes.graph.help")), details);
  applyView();

  const closeStream = eventStream("graph-layout/stream", applyLayout);
  api.get("graph-layout").then(applyLayout, () => {});

  // --- view: viewBox pan and zoom ---
  function applyView() {
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  }

  function toGraph(event) {
    return new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
  }

  function zoom(factor, at = { x: view.x + view.w / 2, y: view.y + view.h / 2 }) {
    const w = Math.min(Math.max(view.w * factor, 120), 50000);
    const k = w / view.w;
    view = { x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k, w, h: view.h * k };
    applyView();
  }

  function fit() {
    const points = [...model.nodes.keys()].map((key) => positions.get(key)).filter(Boolean);
    if (!points.length || !svg.clientWidth) return;
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    let x = Math.min(...xs) - 70;
    let y = Math.min(...ys) - 60;
    let w = Math.max(Math.max(...xs) - x + 70, 320);
    let hgt = Math.max(Math.max(...ys) - y + 70, 200);
    const aspect = svg.clientWidth / svg.clientHeight;
    if (w / hgt < aspect) { x -= (hgt * aspect - w) / 2; w = hgt * aspect; } else { y -= (w / aspect - hgt) / 2; hgt = w / aspect; }
    view = { x, y, w, h: hgt };
    fitted = true;
    applyView();
  }

  function onWheel(event) {
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, toGraph(event));
  }

  function startPan(event) {
    if (event.button !== 0 || event.target.closest(".node")) return;
    const scale = svg.getScreenCTM()?.a || 1;
    const start = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    svg.setPointerCapture(event.pointerId);
    svg.classList.add("panning");
    const move = (e) => {
      view.x = start.vx - (e.clientX - start.x) / scale;
      view.y = start.vy - (e.clientY - start.y) / scale;
      applyView();
    };
    const end = () => {
      svg.removeEventListener("pointermove", move);
      svg.removeEventListener("pointerup", end);
      svg.removeEventListener("pointercancel", end);
      svg.classList.remove("panning");
    };
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
  }

  function onViewKey(event) {
    if (event.target !== svg) return;
    const step = ARROWS[event.key];
    if (step) {
      view.x += step[0] * view.w * 0.1;
      view.y += step[1] * view.h * 0.1;
      applyView();
    } else if (event.key === "+" || event.key === "=") zoom(1 / 1.25);
    else if (event.key === "-") zoom(1.25);
    else if (event.key === "0") fit();
    else return;
    event.preventDefault();
  }

  // --- positions: one node and its edges per animation frame ---
  function schedule(key) {
    pending.add(key);
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      pending.forEach(place);
      pending.clear();
    });
  }

  function place(key) {
    const p = positions.get(key);
    const el = nodeEls.get(key);
    if (!p || !el) return;
    el.g.setAttribute("transform", `translate(${p.x} ${p.y})`);
    for (const edgeKey of incident.get(key) ?? []) placeEdge(edgeEls.get(edgeKey));
  }

  function placeEdge(el) {
    const a = el && positions.get(el.from);
    const b = el && positions.get(el.to);
    if (!a || !b) return;
    const d = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const ux = (b.x - a.x) / d;
    const uy = (b.y - a.y) / d;
    el.line.setAttribute("x1", a.x + ux * RADIUS);
    el.line.setAttribute("y1", a.y + uy * RADIUS);
    el.line.setAttribute("x2", b.x - ux * (RADIUS + 2));
    el.line.setAttribute("y2", b.y - uy * (RADIUS + 2));
    el.text.setAttribute("transform", `translate(${(a.x + b.x) / 2} ${(a.y + b.y) / 2})`);
  }

  function applyLayout(layout) {
    stored = layout && typeof layout === "object" ? layout : {};
    for (const [key, p] of Object.entries(stored)) {
      if (!model.nodes.has(key) || dragging?.key === key || !Number.isFinite(p?.x) || !Number.isFinite(p?.y)) continue;
      const current = positions.get(key);
      if (current && current.x === p.x && current.y === p.y) continue;
      positions.set(key, { x: p.x, y: p.y });
      schedule(key);
    }
  }

  function save() {
    clearTimeout(saveTimer);
    saveTimer = 0;
    const layout = { ...stored };
    for (const key of model.nodes.keys()) {
      const p = positions.get(key);
      if (p) layout[key] = { x: p.x, y: p.y };
    }
    stored = layout;
    api.put("graph-layout", layout, { ifMatch: false }).catch((error) => toast(errorMessage(error), "error"));
  }

  // --- nodes: drag, keys, selection ---
  function startDrag(event, key) {
    if (event.button !== 0) return;
    event.stopPropagation();
    const g = event.currentTarget;
    g.setPointerCapture(event.pointerId);
    const start = toGraph(event);
    const origin = { ...positions.get(key) };
    dragging = { key, moved: false };
    const move = (e) => {
      if (!dragging.moved && Math.hypot(e.clientX - event.clientX, e.clientY - event.clientY) < 4) return;
      dragging.moved = true;
      g.classList.add("dragging");
      const p = toGraph(e);
      positions.set(key, { x: origin.x + p.x - start.x, y: origin.y + p.y - start.y });
      schedule(key);
    };
    const end = () => {
      g.removeEventListener("pointermove", move);
      g.removeEventListener("pointerup", end);
      g.removeEventListener("pointercancel", end);
      g.classList.remove("dragging");
      const moved = dragging.moved;
      dragging = null;
      if (!moved) { select(key); return; }
      const p = positions.get(key);
      positions.set(key, { x: snap(p.x), y: snap(p.y) });
      schedule(key);
      save();
    };
    g.addEventListener("pointermove", move);
    g.addEventListener("pointerup", end);
    g.addEventListener("pointercancel", end);
  }

  function onNodeKey(event, key) {
    const step = ARROWS[event.key];
    if (step) {
      const p = positions.get(key);
      const n = event.shiftKey ? 5 : 1;
      positions.set(key, { x: snap(p.x) + step[0] * GRID * n, y: snap(p.y) + step[1] * GRID * n });
      place(key);
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 500);
    } else if (event.key === "Enter" || event.key === " ") select(key);
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  function select(key) {
    if (selected) nodeEls.get(selected)?.g.classList.remove("selected");
    selected = key;
    nodeEls.get(key)?.g.classList.add("selected");
    detailSignature = "";
    renderDetails();
  }

  function createNode(key) {
    const el = { sig: "", title: s("title"), mark: s("text", { class: "node-mark", "text-anchor": "middle", dy: "0.35em" }),
      label: s("text", { class: "node-label", "text-anchor": "middle", y: RADIUS + 15 }) };
    el.g = s("g", { class: "node", role: "button", tabindex: "0", "data-node": key,
      onpointerdown: (e) => startDrag(e, key), onkeydown: (e) => onNodeKey(e, key) },
    el.title, s("circle", { r: RADIUS }), el.mark, el.label);
    nodeLayer.append(el.g);
    nodeEls.set(key, el);
    return el;
  }

  function fillNode(el, row) {
    const state = peerState(row);
    const name = row.entry.name;
    const sig = `${name}|${state.text}|${direction(row.entry)}|${latencyText(row.entry)}`;
    if (sig === el.sig) return;
    el.sig = sig;
    el.g.setAttribute("aria-label", name);
    el.g.dataset.name = name;
    el.label.textContent = name;
    el.title.textContent = `${state.text} · ${direction(row.entry)} · ${latencyText(row.entry)}`;
    el.mark.textContent = row.entry.is_self ? "★" : state.kind === "ok" ? "" : state.kind === "neutral" ? "–" : "×";
    el.g.classList.toggle("self", !!row.entry.is_self);
    el.g.classList.toggle("offline", state.kind === "error" || state.kind === "warn");
    el.g.classList.toggle("disabled", state.kind === "neutral");
  }

  function createEdge(edge) {
    const el = { from: edge.from, to: edge.to, line: s("line", { class: "edge", "marker-end": `url(#${ids.marker})` }),
      lat: s("tspan", { x: "0", dy: "-0.3em" }), rates: s("tspan", { x: "0", dy: "1.2em" }) };
    el.text = s("text", { class: "edge-label", "text-anchor": "middle" }, el.lat, el.rates);
    edgeLayer.append(el.line);
    labelLayer.append(el.text);
    edgeEls.set(edge.key, el);
    return el;
  }

  /** Latency of this link alone (the row's is cumulative from this node), rates seen from here. */
  function fillEdge(el, edge) {
    const { entry, level, parentKey } = edge.row;
    const before = level > 1 ? model.nodes.get(parentKey)?.entry.latency_ms ?? 0 : 0;
    const own = entry.latency_ms;
    const down = !!entry.disabled || entry.connected === false || own < 0;
    const segment = own > before && before > 0 ? own - before : own;
    el.line.classList.toggle("down", down && !entry.disabled);
    el.line.classList.toggle("off", !!entry.disabled);
    el.lat.textContent = entry.disabled ? t("nodes.state.disabled") : down ? t("nodes.state.offline") : segment > 0 ? latency(segment) : "";
    el.rates.textContent = !down && (entry.tx_rate || entry.rx_rate) ? `↑ ${rate(entry.tx_rate)}  ↓ ${rate(entry.rx_rate)}` : "";
  }

  // --- the selected node's card ---
  function renderDetails() {
    const row = selected && model.nodes.get(selected);
    if (!row) { details.replaceChildren(); detailSignature = ""; return; }
    const state = peerState(row);
    const sig = JSON.stringify([row.key, state.text, row.entry.nested, row.entry.addr, row.entry.version]);
    if (sig !== detailSignature) {
      detailSignature = sig;
      detailLive = { latency: h("dd"), traffic: h("dd") };
      redraw(details, () => h("section", { class: "card", "aria-label": row.entry.name },
        h("h3", {}, row.entry.name),
        h("dl", { class: "node-facts" },
          h("dt", {}, t("common.status")), h("dd", {}, badge(state.text, state.kind)),
          h("dt", {}, t("nodes.direction")), h("dd", {}, direction(row.entry)),
          h("dt", {}, t("nodes.latency")), detailLive.latency,
          h("dt", {}, t("nodes.traffic")), detailLive.traffic,
          h("dt", {}, t("nodes.path")), h("dd", {}, h("code", {}, row.key))),
        peerDetails(row, ctx),
        h("div", { class: "btn-row" }, row.entry.is_self ? null : nestedToggle(row, ctx), rowActions(row, ctx))));
    }
    detailLive.latency.textContent = latencyText(row.entry);
    detailLive.traffic.replaceChildren(...upDown(row.entry.tx_rate, row.entry.rx_rate));
  }

  function update(rows) {
    const next = graphModel(rows);
    const sameNodes = next.nodes.size === model.nodes.size && [...next.nodes.keys()].every((key) => model.nodes.has(key));
    model = next;
    for (const [key, el] of nodeEls) if (!model.nodes.has(key)) { el.g.remove(); nodeEls.delete(key); }
    for (const [key, el] of edgeEls) if (!model.edges.has(key)) { el.line.remove(); el.text.remove(); edgeEls.delete(key); }
    if (!sameNodes) {
      const auto = autoLayout(model);
      for (const key of model.nodes.keys()) {
        const saved = stored[key];
        if (saved && Number.isFinite(saved.x) && Number.isFinite(saved.y)) { if (!positions.has(key)) positions.set(key, { x: saved.x, y: saved.y }); }
        else positions.set(key, auto.get(key));
      }
    }
    incident.clear();
    for (const edge of model.edges.values()) {
      for (const end of [edge.from, edge.to]) (incident.get(end) ?? incident.set(end, new Set()).get(end)).add(edge.key);
    }
    for (const [key, row] of model.nodes) {
      const known = nodeEls.get(key);
      fillNode(known ?? createNode(key), row);
      if (!known || !sameNodes) place(key);
    }
    for (const [key, edge] of model.edges) {
      const known = edgeEls.get(key);
      const el = known ?? createEdge(edge);
      fillEdge(el, edge);
      if (!known) placeEdge(el);
    }
    if (!fitted) fit();
    renderDetails();
  }

  function destroy() {
    closeStream();
    cancelAnimationFrame(frame);
    if (saveTimer) save();
  }

  return { element, update, shown: () => { if (!fitted) fit(); }, destroy };
}
