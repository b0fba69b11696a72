// The topology as rows (shared by the list and the graph), a peer's state and actions, and the
// tree list, which redraws only when the tree changes and updates its live figures in place.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { api } from "../api.js";
import { rate, latency } from "../format.js";
import { button, badge, table } from "../ui.js";
import { enc, run, redraw } from "../entries.js";

/**
 * Depth-first rows of `api/topology`. `key` is the qualified path (`jp`, `jp/jp-east`, and
 * `<selfKey>/<name>` for peers that dialled us), `nodeKey` the graph node (a peer's name, this
 * node's id), `level` the hops from this node. A name seen again on its own branch is a loop in
 * stale data and is left out.
 */
export function flattenTopology(topology, selfKey) {
  const rows = [];
  const selfEntry = topology.find((entry) => entry.is_self);
  const selfNames = new Set([selfKey, selfEntry?.name].filter(Boolean));
  const byName = (a, b) => a.name.localeCompare(b.name);
  function visit(entry, depth, level, parentPath, parentKey, ancestors) {
    const isSelf = !!entry.is_self;
    if (!isSelf && depth > 0 && (selfNames.has(entry.name) || ancestors.has(entry.name))) return;
    const key = isSelf ? selfKey : parentPath ? `${parentPath}/${entry.name}` : entry.name;
    const nodeKey = isSelf ? selfKey : entry.name;
    const conflict = !!entry.conflict || (!isSelf && selfNames.has(entry.name));
    rows.push({ key, nodeKey, parentKey, entry, depth, level, conflict });
    const seen = new Set(ancestors).add(entry.name);
    for (const child of [...(entry.children ?? [])].sort(byName)) {
      visit(child, depth + 1, level + 1, key, nodeKey, seen);
    }
  }
  for (const entry of topology) visit(entry, 0, entry.is_self ? 0 : 1, "", entry.is_self ? null : selfKey, new Set());
  return rows;
}

/** The state of a row in words and a badge kind; never colour alone. */
export function peerState(row) {
  const { entry } = row;
  if (entry.is_self) return { kind: "ok", text: t("nodes.state.self") };
  if (entry.disabled) return { kind: "neutral", text: t("nodes.state.disabled") };
  if (entry.incompatible) return { kind: "error", text: t("nodes.state.incompatible") };
  if (row.conflict) return { kind: "error", text: t("nodes.state.conflict") };
  if (entry.connected === false || entry.latency_ms < 0) return { kind: "error", text: t("nodes.state.offline") };
  if (entry.unsupported) return { kind: "warn", text: t("nodes.state.unsupported") };
  return { kind: "ok", text: t("nodes.state.online") };
}

export function direction(entry) {
  return t(`nodes.dir.${entry.is_self ? "local" : entry.direction === "inbound" ? "inbound" : "outbound"}`);
}

/** Latency as text: unknown (0) and offline (−1) are a dash. */
export function latencyText(entry) {
  return entry.is_self || !(entry.latency_ms > 0) ? "—" : latency(entry.latency_ms);
}

/** "↑ sent ↓ received", the arrows spelled out for screen readers. */
export function upDown(up, down, format = rate) {
  const part = (arrow, word, value, cls) => h("span", { class: cls },
    h("span", { "aria-hidden": "true" }, `${arrow} `), h("span", { class: "sr-only" }, `${word} `), format(value));
  return [part("↑", t("nodes.up"), up, "up"), " ", part("↓", t("nodes.down"), down, "down")];
}

/** Whether a row is a top-level entry of `clients` (disabled through the clients API). */
function isClient(row, ctx) {
  return row.depth === 0 && !row.entry.is_self && ctx.clients.has(row.entry.name);
}

const canNest = (row) => !row.entry.is_self && !row.entry.native && !row.entry.incompatible && !row.conflict;

/** The nested-discovery toggle: shows (or hides) the peers behind this one. */
export function nestedToggle(row, ctx) {
  if (!canNest(row)) return h("span", { class: "tree-spacer", "aria-hidden": "true" });
  const on = !!row.entry.nested;
  return button(on ? "▾" : "▸", () => run(() => api.put(`peers/${enc(row.key)}/nested`, { enabled: !on }),
    t(on ? "nodes.nestedOff" : "nodes.nestedOn", { name: row.key })).then(ctx.changed), {
    class: "btn btn-ghost btn-small tree-toggle", "aria-pressed": String(on),
    "aria-label": t("nodes.nested", { name: row.key }), dataset: { focus: `${row.key}|nested` },
  });
}

/** Enable/disable and edit, for a tree row or the selected graph node. */
export function rowActions(row, ctx) {
  const { entry } = row;
  const actions = [];
  if (entry.is_self) {
    actions.push(button(t("common.edit"), ctx.editNode, { class: "btn btn-small", "aria-label": t("nodes.editSelf"),
      dataset: { focus: `${row.key}|edit` } }));
    return actions;
  }
  const client = isClient(row, ctx);
  if (client) {
    actions.push(button(t("common.edit"), () => ctx.editClient(entry.name), { class: "btn btn-small",
      "aria-label": t("nodes.editPeer", { name: entry.name }), dataset: { focus: `${row.key}|edit` } }));
  }
  const path = client ? `clients/${enc(entry.name)}/disable` : `peers/${enc(row.key)}/disable`;
  actions.push(disableButton(path, row.key, !!entry.disabled, ctx));
  return actions;
}

/** Enables or disables a peer through `path` (a client's or a peers flag's `/disable`). */
export function disableButton(path, name, disabled, ctx) {
  return button(t(disabled ? "common.enable" : "common.disable"),
    () => run(() => api.put(path, { disabled: !disabled }), t(disabled ? "nodes.enabledMsg" : "nodes.disabledMsg", { name })).then(ctx.changed),
    { class: "btn btn-small", "aria-label": t(disabled ? "nodes.enablePeer" : "nodes.disablePeer", { name }),
      dataset: { focus: `${name}|disable` } });
}

/** Address or relay, version and kind of a peer, under its name. */
export function peerDetails(row, ctx) {
  const { entry } = row;
  const tags = [
    entry.exit_node ? badge(t("nodes.exit")) : null,
    entry.native ? badge(t("nodes.native")) : null,
    entry.version && entry.version !== ctx.version ? badge(`v${entry.version}`, entry.incompatible ? "error" : "neutral") : null,
    entry.is_self && entry.disabled ? badge(t("nodes.serverOff"), "warn") : null,
  ].filter(Boolean);
  const where = entry.via && row.depth > 0 ? t("nodes.via", { via: entry.via }) : entry.addr ?? "";
  const addresses = (entry.ip_statuses ?? []).map((s) => h("li", {}, `${s.addr} — `,
    s.status === "online" ? t("nodes.addrOnline", { latency: latency(s.latency_ms) }) : t("nodes.state.offline")));
  return [tags.length ? h("span", { class: "btn-row tags" }, tags) : null,
    where && !addresses.length ? h("span", { class: "peer-sub" }, where) : null,
    addresses.length ? h("ul", { class: "peer-sub addr-list" }, addresses) : null];
}

/** The tree list. `update(rows)` redraws on a change of the tree, else refreshes the figures. */
export function treeView(ctx) {
  const element = h("div", { class: "topology-tree" });
  const live = new Map();
  let signature = "";

  function liveCells(row) {
    let cells = live.get(row.key);
    if (!cells) live.set(row.key, (cells = { latency: h("span"), traffic: h("span", { class: "traffic" }) }));
    cells.latency.textContent = latencyText(row.entry);
    cells.traffic.replaceChildren(...upDown(row.entry.tx_rate, row.entry.rx_rate));
    return cells;
  }

  function build(rows) {
    live.clear();
    return table({
      caption: t("nodes.treeCaption"), rows, empty: t("nodes.noPeers"),
      rowAttrs: (row) => ({ class: row.entry.disabled && !row.entry.is_self ? "row-disabled" : undefined }),
      columns: [
        { label: t("common.name"), cell: (row) => h("div", { class: "tree-name", style: { paddingLeft: `${row.depth * 1.4}rem` } },
          nestedToggle(row, ctx),
          h("div", { class: "tree-label" }, h("span", { class: row.entry.is_self ? "peer-name self" : "peer-name" }, row.entry.name),
            peerDetails(row, ctx))) },
        { label: t("common.status"), cell: (row) => { const s = peerState(row); return badge(s.text, s.kind); } },
        { label: t("nodes.direction"), cell: (row) => direction(row.entry) },
        { label: t("nodes.latency"), class: "num", cell: (row) => liveCells(row).latency },
        { label: t("nodes.traffic"), class: "num", cell: (row) => live.get(row.key).traffic },
        { label: t("common.actions"), cell: (row) => h("div", { class: "btn-row" }, rowActions(row, ctx)) },
      ],
    });
  }

  function update(rows) {
    const next = JSON.stringify(rows.map((r) => [r.key, peerState(r).text, r.entry.nested, r.entry.addr, r.entry.via,
      r.entry.version, r.entry.exit_node, r.entry.ip_statuses?.map((a) => a.status), isClient(r, ctx)]));
    if (next !== signature) {
      signature = next;
      redraw(element, () => build(rows));
    } else {
      rows.forEach(liveCells);
    }
  }
  return { element, update };
}
