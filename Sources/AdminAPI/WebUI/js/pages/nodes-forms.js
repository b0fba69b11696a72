// The nodes page's dialogs: an outbound peer (`clients[]`, every field) and this node (name,
// exit node, Hysteria 2 server). Controls are named after the JSON keys so a 422 lands on them.

import { h, uid } from "../dom.js";
import { t } from "../i18n.js";
import { api } from "../api.js";
import { dialog, field, form, button, reportWrite } from "../ui.js";
import { enc } from "../entries.js";

const MBIT = 125000; // bytes per second in one Mbit/s
const ADVANCED = new Set(["max_tx", "max_rx", "bbr_profile", "init_stream_window", "max_stream_window",
  "init_conn_window", "max_conn_window", "ca"]);
const BBR = ["", "standard", "conservative", "aggressive"];

const lastKey = (path) => (path ?? "").replace(/\[\d+\]/g, "").split(".").pop();

function numberField(options) {
  const wrap = field({ type: "number", min: 0, ...options });
  wrap.querySelector("input").step = "any";
  return wrap;
}

/** The parts of a `hysteria2://password@host:port/?sni=…&insecure=1#name` link, or null. */
export function parseLink(text) {
  const m = /^(?:hysteria2|hy2):\/\/(?:([^@/?#]*)@)?([^/?#]+)\/?(?:\?([^#]*))?(?:#(.*))?$/i.exec(text.trim());
  if (!m) return null;
  const query = new URLSearchParams(m[3] ?? "");
  const decode = (v) => { try { return decodeURIComponent(v ?? ""); } catch { return v ?? ""; } };
  return { name: decode(m[4]), addr: m[2], password: decode(m[1]), sni: query.get("sni") ?? "",
    insecure: ["1", "true"].includes(query.get("insecure")) };
}

/** A text box that fills the peer form from a share link. */
function linkImporter() {
  const id = uid("link");
  const error = h("p", { class: "field-error", id: `${id}-error`, role: "alert" });
  const input = h("input", { id, type: "text", placeholder: "hysteria2://…", autocomplete: "off", spellcheck: "false",
    "aria-describedby": `${id}-help ${id}-error`, onkeydown: (event) => { if (event.key === "Enter") { event.preventDefault(); fill(); } } });
  function fill() {
    const parts = parseLink(input.value);
    error.textContent = parts ? "" : t("nodes.client.badLink");
    for (const [key, value] of Object.entries(parts ?? {})) {
      const control = input.form.elements.namedItem(key);
      if (control?.type === "checkbox") control.checked = value;
      else if (control && value) control.value = value;
    }
  }
  return h("div", { class: "field" }, h("label", { for: id }, t("nodes.client.link")),
    h("div", { class: "inline-control" }, input, button(t("nodes.client.fill"), fill, { class: "btn" })),
    h("p", { class: "help", id: `${id}-help` }, t("nodes.client.linkHelp")), error);
}

function clientBody(v) {
  const addr = v.addr.trim();
  const extra = v.addrs.split(/[\s,]+/).filter(Boolean);
  return {
    name: v.name.trim(), addr, addrs: extra.length ? [addr, ...extra] : [], password: v.password,
    sni: v.sni.trim(), insecure: v.insecure, ca: v.ca.trim() ? v.ca : "", fast_open: v.fast_open, disabled: v.disabled,
    max_tx: Math.round(v.max_tx * MBIT), max_rx: Math.round(v.max_rx * MBIT), bbr_profile: v.bbr_profile,
    init_stream_window: v.init_stream_window, max_stream_window: v.max_stream_window,
    init_conn_window: v.init_conn_window, max_conn_window: v.max_conn_window,
  };
}

/** Adds (no name) or edits the outbound peer `name`; `onSaved()` after a successful write. */
export async function clientDialog(name, onSaved) {
  const client = name ? await api.get(`clients/${enc(name)}`) : {};
  const addrs = client.addrs?.length ? client.addrs : client.addr ? [client.addr] : [];
  const mbit = (v) => (v ? +(v / MBIT).toFixed(3) : "");
  const windowField = (key, label, size) => numberField({ label: t(label), name: key, value: client[key] || "",
    placeholder: size, help: t("nodes.client.windowHelp", { size }) });
  const advanced = h("details", { class: "advanced" }, h("summary", {}, t("nodes.client.advanced")),
    h("div", { class: "form-grid" },
      numberField({ label: t("nodes.client.maxTx"), name: "max_tx", value: mbit(client.max_tx), placeholder: "1000", help: t("nodes.client.rateHelp") }),
      numberField({ label: t("nodes.client.maxRx"), name: "max_rx", value: mbit(client.max_rx), placeholder: "1000", help: t("nodes.client.rateHelp") }),
      field({ label: t("nodes.client.bbr"), name: "bbr_profile", type: "select", value: client.bbr_profile ?? "",
        options: BBR.map((p) => ({ value: p, label: t(`nodes.client.bbr.${p || "auto"}`) })) }),
      windowField("init_stream_window", "nodes.client.initStreamWindow", "8 MiB"),
      windowField("max_stream_window", "nodes.client.maxStreamWindow", "8 MiB"),
      windowField("init_conn_window", "nodes.client.initConnWindow", "16 MiB"),
      windowField("max_conn_window", "nodes.client.maxConnWindow", "16 MiB")),
    field({ label: t("nodes.client.ca"), name: "ca", type: "textarea", rows: 4, value: client.ca, placeholder: "-----BEGIN CERTIFICATE-----",
      help: t("nodes.client.caHelp") }));

  dialog(name ? t("nodes.client.editTitle", { name }) : t("nodes.client.addTitle"), ({ close }) => form({
    label: name ? t("nodes.client.editTitle", { name }) : t("nodes.client.addTitle"),
    fields: [
      name ? null : linkImporter(),
      h("div", { class: "form-grid" },
        field({ label: t("common.name"), name: "name", value: client.name, required: true, help: t("nodes.client.nameHelp") }),
        field({ label: t("nodes.client.addr"), name: "addr", value: addrs[0], required: true, placeholder: "peer.example.com:5565",
          help: t("nodes.client.addrHelp") }),
        field({ label: t("nodes.client.password"), name: "password", type: "secret", value: client.password, required: true,
          autocomplete: "new-password" }),
        field({ label: t("nodes.client.sni"), name: "sni", value: client.sni, placeholder: "hy2scale", help: t("nodes.client.sniHelp") })),
      field({ label: t("nodes.client.addrs"), name: "addrs", type: "textarea", rows: 2, value: addrs.slice(1).join("\n"),
        help: t("nodes.client.addrsHelp") }),
      h("div", { class: "form-grid" },
        field({ label: t("nodes.client.insecure"), name: "insecure", type: "checkbox", value: client.insecure, help: t("nodes.client.insecureHelp") }),
        field({ label: t("nodes.client.fastOpen"), name: "fast_open", type: "checkbox", value: client.fast_open }),
        field({ label: t("nodes.client.disabled"), name: "disabled", type: "checkbox", value: client.disabled, help: t("nodes.client.disabledHelp") })),
      advanced,
    ],
    onSubmit: async (values) => {
      try {
        const body = clientBody(values);
        const result = name ? await api.put(`clients/${enc(name)}`, body) : await api.post("clients", body);
        close();
        reportWrite(result, t(name ? "nodes.client.saved" : "nodes.client.added", { name: body.name }));
        onSaved();
      } catch (error) {
        if (ADVANCED.has(lastKey(error.field))) advanced.open = true;
        throw error;
      }
    },
  }));
}

/** Edits this node: name and id, exit node, user logins, and its Hysteria 2 server. */
export async function nodeDialog(onSaved) {
  const [node, certs] = await Promise.all([api.get("node"), api.get("tls").catch(() => [])]);
  const server = node.server;
  const certOptions = [{ value: "", label: t("nodes.self.selfSigned"), key: "" },
    ...certs.filter((c) => c.key_file).map((c) => ({ value: c.cert_file, label: `${c.name} (${c.subject})`, key: c.key_file }))];
  if (server?.tls_cert && !certOptions.some((o) => o.value === server.tls_cert)) {
    certOptions.push({ value: server.tls_cert, label: server.tls_cert, key: server.tls_key });
  }
  const serverFields = h("fieldset", { class: "form-grid", disabled: !server }, h("legend", {}, t("nodes.self.server")),
    field({ label: t("nodes.self.listen"), name: "listen", value: server?.listen ?? "0.0.0.0:5565", help: t("nodes.self.listenHelp") }),
    field({ label: t("nodes.self.password"), name: "password", type: "secret", value: server?.password, autocomplete: "new-password",
      help: t("nodes.self.passwordHelp") }),
    field({ label: t("nodes.self.cert"), name: "tls_cert", type: "select", value: server?.tls_cert ?? "", options: certOptions,
      help: t("nodes.self.certHelp") }),
    field({ label: t("nodes.self.obfs"), name: "obfs", type: "secret", value: server?.obfs?.password, autocomplete: "off",
      help: t("nodes.self.obfsHelp") }));
  serverFields.querySelector('[name="obfs"]').dataset.path = "server.obfs.password";
  const serverOn = field({ label: t("nodes.self.serverOn"), name: "server_enabled", type: "checkbox", value: !!server,
    help: t("nodes.self.serverOnHelp") });
  serverOn.querySelector("input").addEventListener("change", (event) => { serverFields.disabled = !event.target.checked; });

  dialog(t("nodes.self.title"), ({ close }) => form({
    label: t("nodes.self.title"),
    fields: [
      h("div", { class: "form-grid" },
        field({ label: t("common.name"), name: "name", value: node.name, required: true, help: t("nodes.self.nameHelp") }),
        field({ label: t("nodes.self.nodeId"), name: "node_id", value: node.node_id, help: t("nodes.self.nodeIdHelp") })),
      field({ label: t("nodes.self.exitNode"), name: "exit_node", type: "checkbox", value: node.exit_node, help: t("nodes.self.exitNodeHelp") }),
      field({ label: t("nodes.self.userAuth"), name: "hy2_user_auth", type: "checkbox", value: node.hy2_user_auth, help: t("nodes.self.userAuthHelp") }),
      serverOn, serverFields,
    ],
    onSubmit: async (v) => {
      const cert = certOptions.find((o) => o.value === v.tls_cert);
      const body = { name: v.name.trim(), exit_node: v.exit_node, hy2_user_auth: v.hy2_user_auth,
        server: v.server_enabled ? { listen: v.listen.trim(), password: v.password, tls_cert: v.tls_cert, tls_key: cert?.key ?? "",
          ...(v.obfs ? { obfs: { type: "salamander", password: v.obfs } } : {}) } : null };
      if (v.node_id.trim() && v.node_id.trim() !== node.node_id) body.node_id = v.node_id.trim();
      const result = await api.put("node", body);
      close();
      reportWrite(result, t("nodes.self.saved"));
      onSaved();
    },
  }));
}
