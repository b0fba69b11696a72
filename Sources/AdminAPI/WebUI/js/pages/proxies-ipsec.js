// Proxies page, the IPsec VPN tabs: IKEv2 (with its CA and client profiles) and L2TP/IPsec.

import { h } from "../dom.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { attempt, button, download, field, form, reportWrite } from "../ui.js";
import { checkPort, exitSuggestions, portOf, sectionHeader, serviceStatus, showField } from "./proxies-common.js";
import { downloadIKEv2Profile } from "../entries.js";

/** The host's capability note, when it cannot run the service at all. */
function capabilityNote(view) {
  return view.capable === false ? h("p", { class: "help" }, t("proxies.vpn.incapable")) : null;
}

function clientDownloads(ikev2, users) {
  const box = h("div", { class: "form-grid" },
    field({ label: t("proxies.ikev2.profileUser"), name: "username", type: "select", options: users.map((u) => u.username) }),
    field({ label: t("proxies.ikev2.format"), name: "format", type: "select", value: "mobileconfig", options: [
      { value: "mobileconfig", label: t("proxies.ikev2.apple") }, { value: "sswan", label: t("proxies.ikev2.sswan") }] }),
    field({ label: t("proxies.ikev2.server"), name: "server", placeholder: ikev2.local_id || location.hostname,
      help: t("proxies.ikev2.serverHelp") }));
  const value = (name) => box.querySelector(`[name="${name}"]`).value.trim();
  const profile = () => downloadIKEv2Profile(value("username"), value("format"), value("server"));
  return h("section", { class: "card" },
    sectionHeader(t("proxies.ikev2.clients"),
      button(t("proxies.ikev2.downloadCA"), () => attempt(async () => {
        download("ikev2-ca.pem", await api.get("ikev2/ca", { expect: "text" }), "application/x-pem-file");
      }))),
    h("p", { class: "help" }, t("proxies.ikev2.clientsHelp")),
    users.length ? [box, h("div", { class: "btn-row" }, button(t("proxies.ikev2.downloadProfile"), () => attempt(profile), { kind: "primary" }))]
      : h("p", { class: "empty" }, t("proxies.ikev2.noUsers")));
}

export async function ikev2Tab(reload) {
  const [ikev2, certs, users, suggestions] = await Promise.all([api.get("ikev2"), api.get("tls").catch(() => []),
    api.get("users").catch(() => []), exitSuggestions()]);
  const legacy = { direct: "", stability: "quality", speed: "aggregate" };
  const element = form({
    label: t("proxies.ikev2.title"),
    fields: [
      field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: ikev2.enabled }),
      h("div", { class: "form-grid" },
        field({ label: t("proxies.ikev2.mode"), name: "mode", type: "select", value: ikev2.mode || "mschapv2", options: [
          { value: "mschapv2", label: t("proxies.ikev2.mschapv2") }, { value: "psk", label: t("proxies.ikev2.psk") }] }),
        field({ label: t("proxies.vpn.pool"), name: "pool", value: ikev2.pool, placeholder: "192.168.26.1/24", help: t("proxies.vpn.poolHelp") }),
        field({ label: t("proxies.ikev2.cert"), name: "cert_id", type: "select", value: ikev2.cert_id ?? "", help: t("proxies.ikev2.certHelp"),
          options: [{ value: "", label: t("proxies.ikev2.ownCA") }, ...certs.filter((c) => c.key_file).map((c) => ({ value: c.id, label: c.name }))] }),
        field({ label: t("proxies.vpn.psk"), name: "psk", type: "secret", value: ikev2.psk ?? "", autocomplete: "off" }),
        field({ label: t("proxies.ikev2.localID"), name: "local_id", value: ikev2.local_id ?? "", help: t("proxies.ikev2.localIDHelp") }),
        field({ label: t("proxies.ikev2.remoteID"), name: "remote_id", value: ikev2.remote_id ?? "", help: t("proxies.ikev2.remoteIDHelp") }),
        field({ label: t("proxies.vpn.dns"), name: "dns", value: ikev2.dns ?? "", placeholder: "1.1.1.1, 8.8.8.8", help: t("proxies.vpn.dnsHelp") }),
        field({ label: t("proxies.vpn.mtu"), name: "mtu", type: "number", min: 0, value: ikev2.mtu || "", placeholder: "1400" }),
        field({ label: t("proxies.ikev2.defaultExit"), name: "default_exit", value: ikev2.default_exit ?? "", help: t("proxies.ikev2.defaultExitHelp") }),
        field({ label: t("exitpath.mode"), name: "default_exit_mode", type: "select",
          value: legacy[ikev2.default_exit_mode] ?? ikev2.default_exit_mode ?? "", options: [
            { value: "", label: t("exitpath.modeDirect") }, { value: "quality", label: t("exitpath.modeQuality") },
            { value: "aggregate", label: t("exitpath.modeAggregate") }] })),
    ],
    async onSubmit(values) {
      reportWrite(await api.put("ikev2", values));
      reload();
    },
  });
  const exitList = h("datalist", { id: "ikev2-exits" }, suggestions.map((p) => h("option", { value: p })));
  element.querySelector('[name="default_exit"]').setAttribute("list", exitList.id);
  element.append(exitList);
  const mode = element.querySelector('[name="mode"]');
  const sync = () => {
    const psk = mode.value === "psk";
    showField(element, "psk", psk);
    showField(element, "default_exit", psk);
    showField(element, "default_exit_mode", psk);
    showField(element, "cert_id", !psk);
  };
  mode.addEventListener("change", sync);
  sync();
  return h("div", {},
    h("section", { class: "card" },
      sectionHeader(t("proxies.ikev2.title"), button(t("common.refresh"), reload)),
      serviceStatus({ enabled: ikev2.enabled, running: ikev2.running, reason: ikev2.reason }),
      capabilityNote(ikev2),
      element),
    clientDownloads(ikev2, users));
}

export async function l2tpTab(reload) {
  const l2tp = await api.get("l2tp");
  const element = form({
    label: t("proxies.l2tp.title"),
    fields: [
      field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: l2tp.enabled }),
      h("div", { class: "form-grid" },
        field({ label: t("proxies.l2tp.port"), name: "listen", value: l2tp.listen, placeholder: "1701", help: t("proxies.l2tp.portHelp") }),
        field({ label: t("proxies.vpn.pool"), name: "pool", value: l2tp.pool, placeholder: "192.168.25.1/24", help: t("proxies.vpn.poolHelp") }),
        field({ label: t("proxies.vpn.psk"), name: "psk", type: "secret", value: l2tp.psk ?? "", autocomplete: "off", help: t("proxies.l2tp.pskHelp") }),
        field({ label: t("proxies.vpn.mtu"), name: "mtu", type: "number", min: 0, value: l2tp.mtu || "", placeholder: "1280" })),
    ],
    async onSubmit(values) {
      const body = { ...values, listen: values.listen.trim() };
      if (body.enabled) await checkPort("listen", body.listen || "1701", l2tp.running ? portOf(l2tp.listen || "1701") : null);
      reportWrite(await api.put("l2tp", body));
      reload();
    },
  });
  return h("section", { class: "card" },
    sectionHeader(t("proxies.l2tp.title"), button(t("common.refresh"), reload)),
    serviceStatus({ enabled: l2tp.enabled, running: l2tp.running, reason: l2tp.reason }),
    capabilityNote(l2tp),
    h("p", { class: "help" }, t("proxies.l2tp.help")),
    element);
}
