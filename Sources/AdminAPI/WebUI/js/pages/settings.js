// The settings page: the admin credentials, the web UI and DNS settings (one partial PUT each,
// sending only what changed so defaults are not written into the file), backup and restore,
// upgrade, and what this build is made of.

import { h, mount } from "../dom.js";
import { api, request, upload, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { field, form, pageHeader, loading, toast, download, table, confirm, errorMessage, reportWrite } from "../ui.js";
import { changePassword } from "./login.js";
import { watchBuild } from "../build.js";
import { sha256Hex } from "../sha256.js";

/** Form control name → `PUT api/settings/ui` key, where the name follows the config path instead. */
const KEYS = {
  ui_listen: "listen", ui_base_path: "base_path", enabled: "dns_resolver_enabled",
  cache_ttl: "dns_resolver_cache_ttl", negative_ttl: "dns_resolver_negative_ttl",
  cache_size: "dns_resolver_cache_size", query_timeout_ms: "dns_resolver_query_timeout_ms",
};

function card(title, ...content) {
  return h("section", { class: "card" }, h("h2", {}, title), content);
}

function credentialsCard() {
  return card(t("settings.account"),
    h("p", { class: "muted" }, t("settings.accountIntro")),
    form({
      label: t("settings.account"),
      submitLabel: t("settings.changeCredentials"),
      fields: [
        field({ label: t("password.current"), name: "current_password", type: "password", required: true, autocomplete: "current-password" }),
        field({ label: t("settings.newUsername"), name: "new_username", autocomplete: "username", help: t("settings.keepEmpty") }),
        field({ label: t("password.new"), name: "new_password", type: "password", autocomplete: "new-password", help: `${t("password.rules")} ${t("settings.keepEmpty")}` }),
        field({ label: t("password.repeat"), name: "repeat", type: "password", autocomplete: "new-password" }),
      ],
      async onSubmit(values, element) {
        if (!values.new_password && !values.repeat && !values.new_username.trim()) {
          throw new ApiError(400, { error: t("settings.nothingToChange"), field: "new_username" });
        }
        await changePassword(values);
        element.reset();
        toast(t("settings.credentialsChanged"), "ok");
      },
    }));
}

/**
 * A settings form over `current` (the GET answer). Only changed keys are sent; an emptied field
 * sends "" or 0, which removes the key so its default applies.
 */
function settingsForm(label, current, fields) {
  const note = h("div", { role: "status", class: "settings-note" });
  const settingsElement = form({
    label,
    fields: [h("div", { class: "form-grid" }, fields)],
    async onSubmit(values, element) {
      note.replaceChildren();
      const body = {};
      for (const [name, value] of Object.entries(values)) {
        const key = KEYS[name] ?? name;
        const sent = typeof value === "string" ? value.trim() : value;
        if (sent !== current[key]) body[key] = sent;
      }
      if (!Object.keys(body).length) { toast(t("settings.noChange")); return; }
      const answer = await api.put("settings/ui", body);
      const restart = answer.restart_required ?? [];
      reportWrite(answer);
      const fresh = await api.get("settings/ui");
      Object.assign(current, fresh);
      // Show the effective values (an emptied field now shows its default).
      for (const control of element.querySelectorAll("[name]")) {
        const value = fresh[KEYS[control.name] ?? control.name];
        if (control.type === "checkbox") control.checked = !!value;
        else if (value !== undefined) control.value = value;
      }
      if (restart.length) {
        note.append(h("p", { class: "badge-warn config-note" },
          t("settings.restartRequired", { what: restart.map((k) => t(`settings.restart.${k}`)).join(", ") })));
      }
    },
  });
  settingsElement.append(note);
  return settingsElement;
}

function webCard(settings, certificates) {
  return card(t("settings.web"),
    settingsForm(t("settings.web"), settings, [
      field({ label: t("settings.listen"), name: "ui_listen", value: settings.listen, help: t("settings.listenHelp") }),
      field({ label: t("settings.basePath"), name: "ui_base_path", value: settings.base_path, help: t("settings.basePathHelp") }),
      field({ label: t("settings.certificate"), name: "https_cert_id", type: "select", value: settings.https_cert_id,
        options: [{ value: "", label: t("settings.defaultCertificate") },
          ...certificates.map((c) => ({ value: c.id, label: c.name && c.name !== c.id ? `${c.name} (${c.id})` : c.id }))],
        help: t("settings.certificateHelp") }),
      field({ label: t("settings.sessionTimeout"), name: "session_timeout_h", type: "number", min: 0, max: 87600,
        value: settings.session_timeout_h, help: t("settings.sessionTimeoutHelp") }),
      field({ label: t("settings.forceHTTPS"), name: "force_https", type: "checkbox", value: settings.force_https,
        help: t("settings.forceHTTPSHelp") }),
    ]));
}

function dnsCard(settings) {
  return card(t("settings.dns"),
    settingsForm(t("settings.dns"), settings, [
      field({ label: t("settings.dnsServers"), name: "dns", value: settings.dns, help: t("settings.dnsHelp") }),
      field({ label: t("settings.resolverEnabled"), name: "enabled", type: "checkbox", value: settings.dns_resolver_enabled,
        help: t("settings.resolverHelp") }),
      field({ label: t("settings.cacheTTL"), name: "cache_ttl", type: "number", min: 0, value: settings.dns_resolver_cache_ttl,
        help: t("settings.zeroDefault", { value: 300 }) }),
      field({ label: t("settings.negativeTTL"), name: "negative_ttl", type: "number", min: 0, value: settings.dns_resolver_negative_ttl,
        help: t("settings.zeroDefault", { value: 30 }) }),
      field({ label: t("settings.cacheSize"), name: "cache_size", type: "number", min: 0, value: settings.dns_resolver_cache_size,
        help: t("settings.zeroDefault", { value: 1024 }) }),
      field({ label: t("settings.queryTimeout"), name: "query_timeout_ms", type: "number", min: 0, value: settings.dns_resolver_query_timeout_ms,
        help: t("settings.zeroDefault", { value: 3000 }) }),
    ]));
}

function nestedCard(settings) {
  return card(t("settings.nested"),
    h("p", { class: "muted" }, t("settings.nestedIntro")),
    settingsForm(t("settings.nested"), settings, [
      field({ label: t("settings.maxDepth"), name: "max_nested_depth", type: "number", min: 0, max: 10, value: settings.max_nested_depth }),
      field({ label: t("settings.maxNodes"), name: "max_response_nodes", type: "number", min: 0, max: 65536, value: settings.max_response_nodes }),
      field({ label: t("settings.maxCache"), name: "max_cache_entries", type: "number", min: 0, max: 100000, value: settings.max_cache_entries }),
      field({ label: t("settings.maxBytes"), name: "max_response_bytes", type: "number", min: 0, max: 16777216, value: settings.max_response_bytes }),
      field({ label: t("settings.maxFanOut"), name: "max_fetch_fan_out", type: "number", min: 0, max: 64, value: settings.max_fetch_fan_out }),
      field({ label: t("settings.passthrough"), name: "relay_admin_passthrough", type: "checkbox", value: settings.relay_admin_passthrough,
        help: t("settings.passthroughHelp") }),
    ]));
}

/**
 * A form sending one file and the current password (which these calls ask for again) with a
 * progress bar. `onDone(answer)` runs after the upload.
 */
function uploadForm({ label, submitLabel, accept, question, path, onDone }) {
  const progress = h("progress", { class: "progress", max: "1", value: 0, "aria-label": t("settings.progress") });
  const progressText = h("span", { class: "muted" });
  const progressRow = h("div", { class: "upload-progress", hidden: true }, progress, progressText);
  const element = form({
    label,
    submitLabel,
    fields: [
      field({ label: t("settings.file"), name: "file", type: "file", required: true }),
      field({ label: t("password.current"), name: "current_password", type: "password", required: true, autocomplete: "current-password",
        help: t("settings.passwordAgain") }),
    ],
    extra: progressRow,
    async onSubmit(values, formElement) {
      const file = formElement.querySelector('input[type="file"]').files[0];
      if (!file) throw new ApiError(400, { error: t("settings.chooseFile"), field: "file" });
      if (!values.current_password) throw new ApiError(400, { error: t("settings.passwordNeeded"), field: "current_password" });
      if (!(await confirm(question, { confirmLabel: submitLabel }))) return;
      const data = new FormData();
      data.append("current_password", sha256Hex(values.current_password));
      data.append("file", file, file.name);
      progressRow.hidden = false;
      const show = (fraction) => {
        progress.value = fraction;
        progressText.textContent = `${Math.round(fraction * 100)} %`;
      };
      show(0);
      try {
        const answer = await upload(path, data, show);
        formElement.reset();
        await onDone(answer);
      } catch (error) {
        // The password error names the header or the form field; point it at the field.
        if (error instanceof ApiError && /current_password/.test(error.field ?? "")) error.field = "current_password";
        throw error;
      } finally {
        progressRow.hidden = true;
      }
    },
  });
  element.querySelector('input[type="file"]').accept = accept;
  return element;
}

function backupCard(refresh) {
  const downloadButton = h("button", { type: "button", class: "btn", onclick: async () => {
    downloadButton.disabled = true;
    try {
      const { data, response } = await request("backup", { expect: "blob" });
      const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
      download(name ?? "hy2scale-backup.tar.gz", data);
    } catch (error) {
      toast(errorMessage(error), "error");
    } finally {
      downloadButton.disabled = false;
    }
  } }, t("settings.downloadBackup"));
  return card(t("settings.backup"),
    h("p", { class: "muted" }, t("settings.backupIntro")),
    h("div", { class: "btn-row" }, downloadButton),
    h("h3", {}, t("settings.restore")),
    h("p", { class: "muted" }, t("settings.restoreIntro")),
    uploadForm({
      label: t("settings.restore"), submitLabel: t("settings.restoreSubmit"), accept: ".tar.gz,.tgz,application/gzip",
      question: t("settings.restoreConfirm"), path: "restore",
      async onDone(answer) {
        toast(answer.message ?? t("settings.restored"), "ok");
        if (answer.failures?.length) toast(t("common.notApplied", { failures: answer.failures.join("; ") }), "error");
        setTimeout(() => refresh(), 1500);
      },
    }));
}

function upgradeCard(arch, stop) {
  const state = h("div", { role: "status" });
  return card(t("settings.upgrade"),
    arch ? h("p", {}, t("settings.running", { version: arch.version, os: arch.os, arch: arch.arch })) : null,
    h("p", { class: "muted" }, t("settings.upgradeIntro")),
    uploadForm({
      label: t("settings.upgrade"), submitLabel: t("settings.upgradeSubmit"), accept: ".tar.gz,.tgz,.deb,application/gzip",
      question: t("settings.upgradeConfirm"), path: "upgrade",
      async onDone(answer) {
        mount(state, h("p", { class: "config-note" }, answer.message, " — ", t("settings.upgradeWaiting")));
        // The node restarts; the page reloads as soon as it answers with another build than the
        // one the page was loaded with. Not once the page is left.
        if (!stop.left) stop.unwatch = watchBuild(3000);
      },
    }),
    state);
}

function aboutCard(info) {
  const link = (text, url) => (/^https?:\/\//.test(url ?? "") ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, text) : text);
  const deps = info.go_deps ?? [];
  return card(t("settings.about"),
    h("dl", { class: "facts" },
      h("dt", {}, t("nav.version")), h("dd", {}, info.version),
      h("dt", {}, t("settings.license")), h("dd", {}, info.license),
      h("dt", {}, t("settings.source")), h("dd", {}, link(info.repository, info.repository))),
    table({
      caption: t("settings.natives"),
      columns: [
        { label: t("common.name"), cell: (c) => link(c.name, c.source) },
        { label: t("nav.version"), cell: (c) => c.version },
        { label: t("settings.license"), cell: (c) => c.license },
      ],
      rows: info.natives ?? [],
    }),
    deps.length ? h("details", {}, h("summary", {}, t("settings.packages", { count: deps.length })),
      table({ caption: t("settings.packagesCaption"), columns: [
        { label: t("common.name"), cell: (d) => d.path },
        { label: t("nav.version"), cell: (d) => d.version },
      ], rows: deps })) : null);
}

export default {
  async render(main, { refresh }) {
    mount(main, pageHeader(t("nav.settings")), loading());
    const [settings, certificates, info, arch] = await Promise.allSettled([
      api.get("settings/ui"), api.get("tls"), api.get("build-info"), api.get("system/arch"),
    ]);
    const stop = { unwatch: null, left: false };
    mount(main, pageHeader(t("nav.settings")),
      credentialsCard(),
      settings.status === "fulfilled"
        ? [webCard(settings.value, certificates.value ?? []), dnsCard(settings.value), nestedCard(settings.value)]
        : h("p", { class: "form-error", role: "alert" }, errorMessage(settings.reason)),
      backupCard(refresh),
      upgradeCard(arch.value, stop),
      info.status === "fulfilled" ? aboutCard(info.value) : null);
    return () => { stop.left = true; stop.unwatch?.(); };
  },
};
