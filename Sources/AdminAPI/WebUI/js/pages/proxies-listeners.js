// Proxies page tabs for the node's own listeners: the Hysteria 2 server (`server` via api/node),
// SOCKS5 and HTTP (`proxies[]`) and Shadowsocks (`ss`).

import { h } from "../dom.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { badge, button, confirm, dialog, field, form, table, attempt, reportWrite } from "../ui.js";
import {
  checkPort, exitControls, exitSuggestions, exitSummary, listenerState, loadStatus, portOf,
  sectionHeader, serviceStatus, showField,
} from "./proxies-common.js";

const certificates = () => api.get("tls").catch(() => []);

/** The Hysteria 2 server of this node. */
export async function hy2Tab(reload) {
  const [node, status, certs] = await Promise.all([api.get("node"), loadStatus(), certificates()]);
  const server = node.server ?? null;
  const state = listenerState(status, "hy2", "server");
  const obfs = server?.obfs ?? null;
  const storeSelect = field({ label: t("proxies.hy2.fromStore"), name: "store_cert", type: "select", value: "",
    options: [{ value: "", label: t("proxies.hy2.pickCert") },
      ...certs.filter((c) => c.key_file).map((c) => ({ value: c.id, label: `${c.name} (${c.subject})` }))] });
  const element = form({
    label: t("proxies.hy2.title"),
    fields: [
      h("div", { class: "form-grid" },
        field({ label: t("proxies.listen"), name: "listen", value: server?.listen ?? "", placeholder: "0.0.0.0:5565",
          help: t("proxies.hy2.listenHelp") }),
        field({ label: t("proxies.hy2.password"), name: "password", type: "secret", value: server?.password ?? "", autocomplete: "off",
          help: t("proxies.hy2.passwordHelp") })),
      h("fieldset", {}, h("legend", {}, t("proxies.hy2.tls")),
        h("p", { class: "help" }, t("proxies.hy2.tlsHelp")),
        certs.some((c) => c.key_file) ? storeSelect : null,
        h("div", { class: "form-grid" },
          field({ label: t("proxies.hy2.certPath"), name: "tls_cert", value: server?.tls_cert ?? "" }),
          field({ label: t("proxies.hy2.keyPath"), name: "tls_key", value: server?.tls_key ?? "" }))),
      h("fieldset", {}, h("legend", {}, t("proxies.hy2.obfs")),
        field({ label: t("proxies.hy2.obfsOn"), name: "obfs_enabled", type: "checkbox", value: !!obfs }),
        field({ label: t("proxies.hy2.obfsPassword"), name: "obfs_password", type: "secret", value: obfs?.password ?? "",
          help: t("proxies.hy2.obfsHelp"), autocomplete: "off" })),
    ],
    async onSubmit(values) {
      const body = { listen: values.listen.trim(), password: values.password, tls_cert: values.tls_cert.trim(),
        tls_key: values.tls_key.trim() };
      if (values.obfs_enabled) body.obfs = { type: "salamander", password: values.obfs_password };
      await checkPort("listen", body.listen, state.running ? portOf(server?.listen) : null);
      try {
        reportWrite(await api.put("node", { server: body }));
      } catch (error) {
        if (/obfs/.test(error.field ?? "")) error.field = /type/.test(error.field) ? "obfs_enabled" : "obfs_password";
        throw error;
      }
      reload();
    },
  });
  const store = element.querySelector('[name="store_cert"]');
  store?.addEventListener("change", () => {
    const cert = certs.find((c) => c.id === store.value);
    if (!cert) return;
    element.querySelector('[name="tls_cert"]').value = cert.cert_file;
    element.querySelector('[name="tls_key"]').value = cert.key_file;
  });
  const obfsBox = element.querySelector('[name="obfs_enabled"]');
  const syncObfs = () => showField(element, "obfs_password", obfsBox.checked);
  obfsBox.addEventListener("change", syncObfs);
  syncObfs();
  const remove = server ? button(t("proxies.hy2.remove"), async () => {
    if (!(await confirm(t("proxies.hy2.removeConfirm")))) return;
    const result = await attempt(() => api.put("node", { server: null }));
    if (result) { reportWrite(result); reload(); }
  }, { kind: "danger" }) : null;
  return h("section", { class: "card" },
    sectionHeader(t("proxies.hy2.title"), remove),
    serviceStatus({ enabled: !!server?.listen, running: state.running, reason: state.reason }),
    server ? null : h("p", { class: "muted" }, t("proxies.hy2.none")),
    element);
}

function authLabel(auth) {
  return auth === "none" ? t("proxies.auth.none") : t("proxies.auth.users");
}

/** The SOCKS5 or the HTTP listeners (`protocol`: "socks5" or "http"). */
export async function listenersTab(protocol, reload) {
  const [all, status, certs, suggestions] = await Promise.all([api.get("proxies"), loadStatus(), certificates(), exitSuggestions()]);
  const mine = all.filter((p) => (p.protocol || "socks5") === protocol);
  const name = t(`proxies.tab.${protocol}`);
  const stateOf = (p) => listenerState(status, `proxy/${p.id}`, p.id, p.listen);

  function edit(existing) {
    const held = existing && stateOf(existing).running ? portOf(existing.listen) : null;
    const exits = exitControls(existing, suggestions);
    dialog(existing ? t("proxies.editListener", { id: existing.id }) : t("proxies.addListener", { name }), ({ close }) => form({
      label: name,
      submitLabel: existing ? t("common.save") : t("common.add"),
      fields: [
        h("div", { class: "form-grid" },
          field({ label: t("proxies.id"), name: "id", value: existing?.id ?? "", readonly: !!existing,
            help: existing ? null : t("proxies.idHelp") }),
          field({ label: t("proxies.listen"), name: "listen", value: existing?.listen ?? "", required: true,
            placeholder: protocol === "http" ? "0.0.0.0:8080" : "0.0.0.0:1080", help: t("proxies.listenHelp") })),
        field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: existing ? existing.enabled : true }),
        h("div", { class: "form-grid" },
          field({ label: t("proxies.auth"), name: "auth", type: "select", value: existing?.auth === "none" ? "none" : "users",
            options: [{ value: "users", label: t("proxies.auth.users") }, { value: "none", label: t("proxies.auth.none") }],
            help: t("proxies.authHelp") }),
          field({ label: t("proxies.tlsCert"), name: "tls_cert", type: "select", value: existing?.tls_cert ?? "",
            options: [{ value: "", label: t("proxies.noTLS") }, ...certs.filter((c) => c.key_file).map((c) => ({ value: c.id, label: c.name }))] })),
        exits.element,
      ],
      async onSubmit(values) {
        const body = { id: values.id.trim(), protocol, listen: values.listen.trim(), enabled: values.enabled,
          auth: values.auth === "none" ? "none" : existing?.auth === "users" ? "users" : "", tls_cert: values.tls_cert, ...exits.value() };
        if (body.enabled) await checkPort("listen", body.listen, held);
        if (existing) reportWrite(await api.put(`proxies/${encodeURIComponent(existing.id)}`, body));
        else reportWrite(await api.post("proxies", body));
        close();
        reload();
      },
    }));
  }

  async function remove(p) {
    if (!(await confirm(t("common.deleteConfirm", { name: p.id })))) return;
    const result = await attempt(() => api.del(`proxies/${encodeURIComponent(p.id)}`));
    if (result) { reportWrite(result); reload(); }
  }

  return h("section", { class: "card" },
    sectionHeader(t("proxies.listeners", { name }), button(t("proxies.addListener", { name }), () => edit(null), { kind: "primary" })),
    table({
      caption: t("proxies.listeners", { name }),
      rows: mine,
      empty: t("proxies.noListeners", { name }),
      columns: [
        { label: t("proxies.id"), cell: (p) => h("span", { class: "mono" }, p.id) },
        { label: t("proxies.listen"), cell: (p) => h("span", { class: "mono" }, p.listen) },
        { label: t("common.status"), cell: (p) => serviceStatus({ enabled: p.enabled, ...stateOf(p) }) },
        { label: t("proxies.auth"), cell: (p) => (p.auth === "none" ? badge(authLabel(p.auth), "warn") : authLabel(p.auth)) },
        { label: t("proxies.tlsCert"), cell: (p) => p.tls_cert || t("common.none") },
        { label: t("proxies.exitVia"), cell: (p) => exitSummary(p) },
        { label: t("common.actions"), cell: (p) => h("div", { class: "btn-row" },
          button(t("common.edit"), () => edit(p), { class: "btn btn-small", "aria-label": `${t("common.edit")} ${p.id}` }),
          button(t("common.delete"), () => remove(p), { class: "btn btn-small btn-danger", "aria-label": `${t("common.delete")} ${p.id}` })) },
      ],
    }));
}

const METHODS = ["aes-128-gcm", "aes-256-gcm", "chacha20-ietf-poly1305", "2022-blake3-aes-128-gcm", "2022-blake3-aes-256-gcm", "none"];

/** The Shadowsocks server. */
export async function shadowsocksTab(reload) {
  const [ss, status] = await Promise.all([api.get("ss"), loadStatus()]);
  const state = listenerState(status, "ss", "shadowsocks");
  const element = form({
    label: t("proxies.tab.ss"),
    fields: [
      field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: ss.enabled }),
      h("div", { class: "form-grid" },
        field({ label: t("proxies.listen"), name: "listen", value: ss.listen, placeholder: "0.0.0.0:8388", help: t("proxies.ss.listenHelp") }),
        field({ label: t("proxies.ss.method"), name: "method", type: "select", value: ss.method || "aes-256-gcm",
          options: METHODS.map((m) => ({ value: m, label: m === "none" ? t("proxies.ss.none") : m })) })),
    ],
    async onSubmit(values) {
      const body = { ...values, listen: values.listen.trim() };
      if (body.enabled) await checkPort("listen", body.listen, state.running ? portOf(ss.listen) : null);
      reportWrite(await api.put("ss", body));
      reload();
    },
  });
  return h("section", { class: "card" },
    sectionHeader(t("proxies.ss.title")),
    serviceStatus({ enabled: ss.enabled, ...state }),
    h("p", { class: "help" }, t("proxies.ss.help")),
    element);
}
