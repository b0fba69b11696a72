// The TLS page: the node's certificate store. Import (pasted PEM or a file on the node),
// generate (self-signed or a CA), sign with a store CA, download the chain, delete.

import { h, mount } from "../dom.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { attempt, badge, button, confirm, dialog, download, errorMessage, field, form, loading, pageHeader, table, toast, reportWrite } from "../ui.js";

const DAY = 86400000;
const list = (text) => String(text ?? "").split(/[,\n]/).map((d) => d.trim()).filter(Boolean);

const idFields = () => h("div", { class: "form-grid" },
  field({ label: t("tls.id"), name: "id", required: true, placeholder: "my-cert", help: t("tls.idHelp") }),
  field({ label: t("tls.name"), name: "name", help: t("tls.nameHelp") }));
const replaceField = () => field({ label: t("tls.replace"), name: "replace", type: "checkbox", help: t("tls.replaceHelp") });

/** One dialog per way of adding a certificate; `body(values)` makes the request body. */
const ACTIONS = {
  import: { path: "tls/import", fields: () => [idFields(),
    field({ label: t("tls.certPEM"), name: "cert", type: "textarea", rows: 6, required: true, placeholder: "-----BEGIN CERTIFICATE-----", help: t("tls.certPEMHelp") }),
    field({ label: t("tls.keyPEM"), name: "key", type: "textarea", rows: 5, placeholder: "-----BEGIN PRIVATE KEY-----", help: t("tls.keyPEMHelp") }),
    replaceField()] },
  path: { path: "tls/import-path", fields: () => [idFields(),
    h("div", { class: "form-grid" },
      field({ label: t("tls.certPath"), name: "cert_path", required: true, placeholder: "/etc/letsencrypt/live/example.com/fullchain.pem" }),
      field({ label: t("tls.keyPath"), name: "key_path", placeholder: "/etc/letsencrypt/live/example.com/privkey.pem" })),
    h("p", { class: "help" }, t("tls.pathHelp")), replaceField()] },
  generate: { path: "tls/generate", fields: () => [idFields(),
    field({ label: t("tls.domains"), name: "domains", required: true, placeholder: "example.com, 192.0.2.1", help: t("tls.domainsHelp") }),
    h("div", { class: "form-grid" },
      field({ label: t("tls.days"), name: "days", type: "number", min: 1, value: 365 }),
      field({ label: t("tls.isCA"), name: "is_ca", type: "checkbox", help: t("tls.isCAHelp") })),
    replaceField()],
  body: (v) => ({ ...v, domains: list(v.domains) }) },
  sign: { path: "tls/sign", fields: (cas) => [
    field({ label: t("tls.ca"), name: "ca_id", type: "select", required: true, options: cas.map((c) => ({ value: c.id, label: c.name })) }),
    idFields(),
    h("div", { class: "form-grid" },
      field({ label: t("tls.cn"), name: "cn", required: true, placeholder: "vpn.example.com", help: t("tls.cnHelp") }),
      field({ label: t("tls.extraDomains"), name: "domains", help: t("tls.domainsHelp") }),
      field({ label: t("tls.days"), name: "days", type: "number", min: 1, value: 7300 })),
    replaceField()],
  body: (v) => ({ ...v, domains: list(v.domains) }) },
};

function open(kind, cas, reload) {
  const action = ACTIONS[kind];
  dialog(t(`tls.action.${kind}`), ({ close }) => form({
    label: t(`tls.action.${kind}`),
    submitLabel: t(`tls.submit.${kind}`),
    fields: action.fields(cas),
    async onSubmit(values) {
      const body = action.body ? action.body(values) : values;
      if (!body.name) delete body.name;
      const answer = await api.post(action.path, body, { ifMatch: false });
      reportWrite(answer, t("tls.saved", { id: answer?.id ?? body.id }));
      close();
      reload();
    },
  }));
}

function expiry(cert) {
  const end = new Date(cert.not_after);
  const left = end.getTime() - Date.now();
  return h("span", {}, Number.isNaN(left) ? cert.not_after : end.toLocaleDateString(), " ",
    left < 0 ? badge(t("tls.expired"), "error") : left < 30 * DAY ? badge(t("tls.expiresSoon"), "warn") : null);
}

async function downloadPEM(cert) {
  download(`${cert.id}.pem`, await api.get(`tls/${encodeURIComponent(cert.id)}/pem`, { expect: "text" }), "application/x-pem-file");
}

export default {
  async render(main) {
    const refusal = h("div", { class: "form-error", role: "alert" });
    const body = h("div", {}, loading());
    let certs = [];
    const cas = () => certs.filter((c) => c.is_ca && c.key_file);

    async function remove(cert) {
      if (!(await confirm(t("common.deleteConfirm", { name: cert.name })))) return;
      refusal.replaceChildren();
      try {
        reportWrite(await api.del(`tls/${encodeURIComponent(cert.id)}`, { ifMatch: false }), t("tls.saved", { id: cert.id }));
        reload();
      } catch (error) {
        // The API refuses while the config uses the certificate, and for the default one.
        const message = t("tls.notDeleted", { id: cert.id, reason: errorMessage(error) });
        refusal.replaceChildren(h("p", {}, message));
        toast(message, "error");
      }
    }

    async function reload() {
      try {
        certs = await api.get("tls");
      } catch (error) {
        mount(body, h("p", { class: "form-error", role: "alert" }, errorMessage(error)));
        return;
      }
      mount(body, table({
        caption: t("tls.caption"),
        rows: certs,
        empty: t("tls.none"),
        columns: [
          { label: t("common.name"), cell: (c) => h("div", {}, h("strong", {}, c.name), c.name === c.id ? null : h("div", { class: "muted mono" }, c.id)) },
          { label: t("tls.subject"), cell: (c) => h("div", {}, c.subject, c.domains?.length ? h("div", { class: "muted" }, c.domains.join(", ")) : null) },
          { label: t("tls.issuer"), cell: (c) => h("span", {}, c.issuer, c.issuer === c.subject && !c.ca_id ? [" ", badge(t("tls.selfSigned"))] : null) },
          { label: t("tls.expires"), cell: expiry },
          { label: t("tls.kind"), cell: (c) => h("span", {}, c.is_ca ? badge(t("tls.ca"), "ok") : t("tls.leaf"), c.key_file ? null : [" ", badge(t("tls.noKey"), "warn")]) },
          { label: t("common.actions"), cell: (c) => h("div", { class: "btn-row" },
            button(t("tls.pem"), () => attempt(() => downloadPEM(c)), { class: "btn btn-small", "aria-label": t("tls.downloadPEM", { id: c.id }) }),
            button(t("common.delete"), () => remove(c), { class: "btn btn-small btn-danger", "aria-label": `${t("common.delete")} ${c.id}` })) },
        ],
      }));
    }

    const action = (kind, primary) => button(t(`tls.action.${kind}`), () => {
      if (kind === "sign" && !cas().length) { toast(t("tls.noCA"), "error"); return; }
      open(kind, cas(), reload);
    }, { kind: primary ? "primary" : undefined });
    mount(main,
      pageHeader(t("nav.tls"), action("import", true), action("path"), action("generate"), action("sign")),
      h("p", { class: "muted" }, t("tls.intro")),
      refusal,
      body);
    await reload();
  },
};
