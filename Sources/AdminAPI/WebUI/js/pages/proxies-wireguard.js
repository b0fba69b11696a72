// Proxies page, WireGuard tab: the server settings and its peers, with each peer's client
// configuration as a .conf download and a QR code.

import { h, mount } from "../dom.js";
import { api, request } from "../api.js";
import { t } from "../i18n.js";
import { bytes, dateTime } from "../format.js";
import { attempt, button, confirm, copyText, dialog, download, field, form, table, reportWrite } from "../ui.js";
import { checkPort, exitControls, exitSuggestions, exitSummary, sectionHeader, serviceStatus } from "./proxies-common.js";

const newKeyPair = () => api.post("wireguard/generate-key", undefined, { ifMatch: false });
const peerPath = (name) => `wireguard/peers/${encodeURIComponent(name)}`;

/** The next free /32 after the server's address, for a new peer. */
function suggestAddress(address, peers) {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(address ?? "");
  if (!match) return "";
  const used = new Set(peers.map((p) => String(p.allowed_ips).split(/[,/]/)[0].trim()));
  const prefix = match.slice(1, 4).join(".");
  for (let n = Number(match[4]) + 1; n < 255; n++) {
    if (!used.has(`${prefix}.${n}`)) return `${prefix}.${n}/32`;
  }
  return "";
}

async function downloadConfig(name) {
  const text = await api.get(`${peerPath(name)}/config`, { expect: "text" });
  download(`${name}.conf`, text, "text/plain");
}

/** The client configuration as a QR code and as text. */
function showConfig(name) {
  let url = null;
  const body = h("div", { class: "wg-config" }, h("p", { class: "loading", role: "status" }, t("common.loading")));
  const { done } = dialog(t("proxies.wg.configOf", { name }), () => body);
  done.then(() => url && URL.revokeObjectURL(url));
  Promise.all([api.get(`${peerPath(name)}/config`, { expect: "text" }),
    request(`wireguard/qr?peer=${encodeURIComponent(name)}`, { expect: "blob" })])
    .then(([text, qr]) => {
      url = URL.createObjectURL(qr.data);
      mount(body,
        h("img", { class: "qr", src: url, alt: t("proxies.wg.qrAlt", { name }) }),
        h("p", { class: "help" }, t("proxies.wg.qrHelp")),
        h("pre", { tabindex: "0", "aria-label": t("proxies.wg.confText", { name }) }, text),
        h("div", { class: "btn-row" },
          button(t("common.copy"), () => copyText(text)),
          button(t("proxies.wg.download", { name }), () => download(`${name}.conf`, text, "text/plain"), { kind: "primary" })));
    })
    .catch((error) => mount(body, h("p", { class: "form-error", role: "alert" }, error.message)));
}

function peerDialog(existing, { wg, users, suggestions }, reload) {
  dialog(existing ? t("proxies.wg.editPeer", { name: existing.name }) : t("proxies.wg.addPeer"), ({ close }) => {
    const exits = exitControls(existing, suggestions);
    const element = form({
      label: t("proxies.wg.peer"),
      submitLabel: existing ? t("common.save") : t("common.add"),
      fields: [
        h("div", { class: "form-grid" },
          field({ label: t("common.name"), name: "name", value: existing?.name ?? "", required: true, placeholder: "phone" }),
          field({ label: t("proxies.wg.allowedIPs"), name: "allowed_ips", required: true, placeholder: "10.0.0.2/32",
            value: existing?.allowed_ips ?? suggestAddress(wg.address, wg.peers), help: t("proxies.wg.allowedIPsHelp") })),
        field({ label: t("proxies.wg.publicKey"), name: "public_key", value: existing?.public_key ?? "", required: true }),
        field({ label: t("proxies.wg.privateKey"), name: "private_key", type: "secret", value: existing?.private_key ?? "",
          help: t("proxies.wg.peerKeyHelp"), autocomplete: "off" }),
        h("div", { class: "btn-row" }, button(t("proxies.wg.generatePair"), async () => {
          const pair = await attempt(newKeyPair);
          if (!pair) return;
          element.querySelector('[name="private_key"]').value = pair.private_key;
          element.querySelector('[name="public_key"]').value = pair.public_key;
        })),
        h("div", { class: "form-grid" },
          field({ label: t("proxies.wg.keepalive"), name: "keepalive", type: "number", min: 0, max: 65535,
            value: existing ? existing.keepalive : 25, help: t("proxies.wg.keepaliveHelp") }),
          field({ label: t("proxies.wg.user"), name: "user", type: "select", value: existing?.user ?? "",
            options: [{ value: "", label: t("common.none") }, ...users.map((u) => u.username)], help: t("proxies.wg.userHelp") })),
        exits.element,
      ],
      async onSubmit(values) {
        const body = { name: values.name.trim(), public_key: values.public_key.trim(), private_key: values.private_key.trim(),
          allowed_ips: values.allowed_ips.trim(), keepalive: values.keepalive, user: values.user, ...exits.value() };
        reportWrite(existing ? await api.put(peerPath(existing.name), body) : await api.post("wireguard/peers", body));
        close();
        reload();
      },
    });
    if (!existing) {
      newKeyPair().then((pair) => {
        const pub = element.querySelector('[name="public_key"]');
        if (pub.value) return;
        pub.value = pair.public_key;
        element.querySelector('[name="private_key"]').value = pair.private_key;
      }).catch(() => { /* the user can press Generate or paste a key */ });
    }
    return element;
  });
}

function settingsForm(wg, reload) {
  const element = form({
    label: t("proxies.wg.settings"),
    fields: [
      field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: wg.enabled }),
      h("div", { class: "form-grid" },
        field({ label: t("proxies.wg.listenPort"), name: "listen_port", type: "number", min: 0, max: 65535,
          value: wg.listen_port || "", placeholder: "51820", help: t("proxies.wg.listenPortHelp") }),
        field({ label: t("proxies.wg.address"), name: "address", value: wg.address, placeholder: "10.0.0.1/24",
          help: t("proxies.wg.addressHelp") }),
        field({ label: t("proxies.wg.mtu"), name: "mtu", type: "number", min: 0, value: wg.mtu || "", placeholder: "1420" })),
      field({ label: t("proxies.wg.serverKey"), name: "private_key", type: "secret", value: wg.private_key, autocomplete: "off",
        help: t("proxies.wg.serverKeyHelp") }),
      h("div", { class: "btn-row" }, button(t("proxies.wg.newServerKey"), async () => {
        const pair = await attempt(newKeyPair);
        if (pair) element.querySelector('[name="private_key"]').value = pair.private_key;
      })),
      wg.public_key ? h("p", { class: "key-line" }, h("span", { class: "muted" }, `${t("proxies.wg.publicKey")}: `),
        h("code", {}, wg.public_key), " ",
        button(t("common.copy"), () => copyText(wg.public_key), { class: "btn btn-small", "aria-label": t("proxies.wg.copyPublic") })) : null,
    ],
    async onSubmit(values) {
      const body = { ...values, dns: wg.dns ?? "" };
      // A server without a key cannot write any peer's .conf: make one with the first save.
      if (!body.private_key && !wg.public_key) body.private_key = (await newKeyPair()).private_key;
      if (body.enabled) await checkPort("listen_port", String(body.listen_port || 51820), wg.running ? (wg.listen_port || 51820) : null);
      reportWrite(await api.put("wireguard", body));
      reload();
    },
  });
  return element;
}

export async function wireguardTab(reload) {
  const [wg, users, suggestions] = await Promise.all([api.get("wireguard"), api.get("users").catch(() => []), exitSuggestions()]);
  const context = { wg, users, suggestions };
  const live = new Map((wg.peer_status ?? []).map((s) => [s.public_key, s]));
  const detail = wg.running
    ? [wg.backend ? t("proxies.wg.backend", { backend: wg.backend }) : "", t("proxies.wg.connected", { count: wg.connected ?? 0 })].filter(Boolean).join(" · ")
    : "";

  async function remove(peer) {
    if (!(await confirm(t("common.deleteConfirm", { name: peer.name })))) return;
    const result = await attempt(() => api.del(peerPath(peer.name)));
    if (result) { reportWrite(result); reload(); }
  }

  const small = (label, onClick, aria, kind) => button(label, onClick, { class: `btn btn-small${kind ? ` btn-${kind}` : ""}`, "aria-label": aria });
  return h("div", {},
    h("section", { class: "card" },
      sectionHeader(t("proxies.wg.title"), button(t("common.refresh"), reload)),
      serviceStatus({ enabled: wg.enabled, running: wg.running, reason: wg.reason, detail }),
      settingsForm(wg, reload)),
    h("section", { class: "card" },
      sectionHeader(t("proxies.wg.peers"), button(t("proxies.wg.addPeer"), () => peerDialog(null, context, reload), { kind: "primary" })),
      table({
        caption: t("proxies.wg.peers"),
        rows: wg.peers ?? [],
        empty: t("proxies.wg.noPeers"),
        columns: [
          { label: t("common.name"), cell: (p) => p.name },
          { label: t("proxies.wg.allowedIPs"), cell: (p) => h("span", { class: "mono" }, p.allowed_ips) },
          { label: t("proxies.wg.user"), cell: (p) => p.user || t("common.none") },
          { label: t("proxies.exitVia"), cell: (p) => exitSummary(p) },
          { label: t("proxies.wg.handshake"), cell: (p) => {
            const s = live.get(p.public_key);
            if (!s?.latest_handshake) return t("proxies.wg.never");
            return `${dateTime(s.latest_handshake * 1000)} · ↓${bytes(s.rx_bytes)} ↑${bytes(s.tx_bytes)}`;
          } },
          { label: t("common.actions"), cell: (p) => h("div", { class: "btn-row" },
            small("QR", () => showConfig(p.name), t("proxies.wg.showConfig", { name: p.name })),
            small(".conf", () => attempt(() => downloadConfig(p.name)), t("proxies.wg.download", { name: p.name })),
            small(t("common.edit"), () => peerDialog(p, context, reload), `${t("common.edit")} ${p.name}`),
            small(t("common.delete"), () => remove(p), `${t("common.delete")} ${p.name}`, "danger")) },
        ],
      })));
}
