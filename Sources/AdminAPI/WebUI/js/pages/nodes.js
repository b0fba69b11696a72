// The nodes page: live figures with sparklines, the topology as a tree list or a graph, the
// outbound peers (`clients`), and this node's own settings. Everything live is polled every 2 s.

import { h, mount, uid } from "../dom.js";
import { t } from "../i18n.js";
import { api } from "../api.js";
import { bytes, rate } from "../format.js";
import { pageHeader, button, badge, table, tabs, confirm, attempt, errorMessage, loading } from "../ui.js";
import { enc, run, redraw } from "../entries.js";
import { sparkline } from "../sparkline.js";
import { flattenTopology, treeView, upDown, disableButton } from "./nodes-tree.js";
import { graphView } from "./nodes-graph.js";
import { clientDialog, nodeDialog } from "./nodes-forms.js";

const POLL_MS = 2000;
const VIEW_KEY = "hy2scale.nodesView";

/** Runs `tick` now and every `ms`, one at a time, not while the browser tab is hidden. */
function poll(tick, ms) {
  let timer = 0;
  let stopped = false;
  async function loop() {
    try {
      if (!document.hidden) await tick();
    } catch { /* the node is restarting or the network blinked: the next tick tries again */ } finally {
      if (!stopped) timer = setTimeout(loop, ms);
    }
  }
  loop();
  return () => { stopped = true; clearTimeout(timer); };
}

/** The four stat cards; `update(stats)` sets their figures and extends their sparklines. */
function statCards() {
  const card = (label, series, fromZero) => {
    const line = sparkline({ series, fromZero });
    const value = h("p", { class: "stat-value" }, "—");
    return { line, value, element: h("div", { class: "card stat" }, h("p", { class: "stat-label" }, label), value, line.element) };
  };
  const traffic = card(t("nodes.stats.traffic"), 2, false);
  const speed = card(t("nodes.stats.rate"), 2, true);
  const conns = card(t("nodes.stats.conns"), 1, true);
  const exits = card(t("nodes.stats.exitClients"), 1, true);
  function update(stats) {
    traffic.value.replaceChildren(...upDown(stats.tx_bytes, stats.rx_bytes, bytes));
    traffic.line.push(stats.tx_bytes, stats.rx_bytes);
    speed.value.replaceChildren(...upDown(stats.tx_rate, stats.rx_rate, rate));
    speed.line.push(stats.tx_rate, stats.rx_rate);
    conns.value.textContent = String(stats.conns);
    conns.line.push(stats.conns);
    exits.value.textContent = String(stats.exit_clients);
    exits.line.push(stats.exit_clients);
  }
  return { element: h("section", { class: "grid stats", "aria-label": t("nodes.stats.label") },
    traffic.element, speed.element, conns.element, exits.element), update };
}

/** The configured outbound peers with their actions; redrawn only when the list changes. */
function peersSection(ctx) {
  const headingId = uid("peers");
  const body = h("div");
  let signature = "";
  const status = (c) => (c.disabled ? badge(t("nodes.state.disabled"))
    : c.connected ? badge(t("nodes.state.online"), "ok") : badge(t("nodes.state.offline"), "error"));
  async function remove(name) {
    if (!(await confirm(t("common.deleteConfirm", { name }), { confirmLabel: t("common.delete") }))) return;
    await run(() => api.del(`clients/${enc(name)}`), t("nodes.peers.deleted", { name }));
    ctx.changed();
  }
  const build = (clients) => table({
    caption: t("nodes.peers.caption"), rows: clients, empty: t("nodes.peers.empty"),
    columns: [
      { label: t("common.name"), cell: (c) => c.name },
      { label: t("nodes.peers.addresses"), cell: (c) => h("code", {}, (c.addrs?.length ? c.addrs : [c.addr]).join(", ")) },
      { label: t("common.status"), cell: status },
      { label: t("common.actions"), cell: (c) => h("div", { class: "btn-row" },
        button(t("common.edit"), () => ctx.editClient(c.name), { class: "btn btn-small",
          "aria-label": t("nodes.editPeer", { name: c.name }), dataset: { focus: `${c.name}|edit` } }),
        disableButton(`clients/${enc(c.name)}/disable`, c.name, !!c.disabled, ctx),
        button(t("common.delete"), () => remove(c.name), { class: "btn btn-small btn-danger",
          "aria-label": t("nodes.deletePeer", { name: c.name }), dataset: { focus: `${c.name}|delete` } })) },
    ],
  });
  function update(clients) {
    const next = JSON.stringify(clients.map((c) => [c.name, c.addr, c.addrs, c.disabled, c.connected]));
    if (next !== signature) {
      signature = next;
      redraw(body, () => build(clients));
    }
  }
  const element = h("section", { "aria-labelledby": headingId },
    h("div", { class: "nodes-head" }, h("h2", { id: headingId }, t("nodes.peers.title")),
      button(t("nodes.peers.add"), ctx.addClient, { kind: "primary" })), body);
  return { element, update };
}

export default {
  async render(main, { query, refresh }) {
    mount(main, loading());
    let node;
    try {
      node = await api.get("node");
    } catch (error) {
      mount(main, pageHeader(t("nodes.title")), h("p", { class: "form-error", role: "alert" }, errorMessage(error)));
      return undefined;
    }
    const selfKey = node.node_id;
    const ctx = {
      clients: new Set(),
      version: node.version,
      changed: () => tick(),
      editNode: () => attempt(() => nodeDialog(refresh)),
      editClient: (name) => attempt(() => clientDialog(name, tick)),
      addClient: () => attempt(() => clientDialog(null, tick)),
    };
    const stats = statCards();
    const tree = treeView(ctx);
    const graph = graphView(ctx);
    const peers = peersSection(ctx);
    const liveStatus = h("p", { class: "form-error", role: "status" });
    const views = [
      { id: "list", label: t("nodes.view.list"), render: (panel) => panel.append(tree.element) },
      { id: "graph", label: t("nodes.view.graph"), render: (panel) => { panel.append(graph.element); graph.shown(); } },
    ];
    mount(main,
      pageHeader(t("nodes.title"), button(t("nodes.editSelf"), ctx.editNode), button(t("nodes.peers.add"), ctx.addClient, { kind: "primary" })),
      stats.element, liveStatus,
      h("section", { class: "card topology", "aria-labelledby": "topology-heading" },
        h("h2", { id: "topology-heading" }, t("nodes.topology")),
        tabs(views, { selected: query.get("view") ?? localStorage.getItem(VIEW_KEY), label: t("nodes.view.label"),
          onSelect: (id) => { localStorage.setItem(VIEW_KEY, id); history.replaceState(null, "", `#/nodes?view=${id}`); } })),
      peers.element);

    async function tick() {
      // The clients list carries the config revision; not re-read under an open form.
      const editing = !!document.querySelector("dialog[open]");
      const [s, topology, clients] = await Promise.allSettled([api.get("stats"), api.get("topology"),
        editing ? null : api.get("clients")]);
      if (s.status === "fulfilled") stats.update(s.value);
      if (clients.status === "fulfilled" && clients.value) {
        ctx.clients = new Set(clients.value.map((c) => c.name));
        peers.update(clients.value);
      }
      if (topology.status === "fulfilled") {
        const rows = flattenTopology(topology.value, selfKey);
        tree.update(rows);
        graph.update(rows);
      }
      const failed = [s, topology, clients].find((r) => r.status === "rejected");
      const message = failed ? t("nodes.liveFailed", { error: errorMessage(failed.reason) }) : "";
      if (liveStatus.textContent !== message) liveStatus.textContent = message;
    }
    const stop = poll(tick, POLL_MS);
    return () => { stop(); graph.destroy(); };
  },
};
