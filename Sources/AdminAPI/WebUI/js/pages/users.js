// The users page: accounts with their exits, quotas, expiry and per-protocol access; their live
// devices; their client profiles. Every write goes through the API, which edits the config file.

import { h, mount } from "../dom.js";
import { t } from "../i18n.js";
import { api } from "../api.js";
import { button, field, form, dialog, confirm, toast, table, badge, pageHeader, loading, errorMessage, reportWrite } from "../ui.js";
import { bytes, dateTime } from "../format.js";
import { bulkActions, downloadIKEv2Profile, enc, exitEditor, exitSummary, exitSuggestions, run, selection, redraw } from "../entries.js";

const PROTOCOLS = ["hy2", "ss", "socks5", "http", "l2tp", "ikev2"];
/** The protocols that may take their own password (`proxy_passwords` keys). */
const OWN_PASSWORD = new Set(["hy2", "ss", "ikev2"]);
const GIB = 1024 ** 3;

function randomPassword() {
  const bytesOut = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytesOut)).replace(/\+/g, "-").replace(/\//g, "_");
}

/** `YYYY-MM-DD` stays as written; a date-time is shown in local time. */
function expiryText(expiry) {
  if (!expiry) return t("users.never");
  return /^\d{4}-\d{2}-\d{2}$/.test(expiry) ? expiry : dateTime(expiry);
}

function expired(user) {
  if (!user.expiry) return false;
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(user.expiry) ? `${user.expiry}T00:00:00Z` : user.expiry);
  return !Number.isNaN(at) && at <= Date.now();
}

function limitBytes(user) { return Math.round((user.traffic_limit_gb ?? 0) * GIB); }

/** A password input with show and generate buttons, inside the usual field. */
function passwordField({ label, name, value, required, placeholder, help, which }) {
  const wrap = field({ label, name, type: "password", value, required, placeholder, help, autocomplete: "new-password" });
  const input = wrap.querySelector("input");
  const show = button(t("users.show"), () => {
    const hidden = input.type === "password";
    input.type = hidden ? "text" : "password";
    show.setAttribute("aria-pressed", String(hidden));
  }, { class: "btn btn-small", "aria-pressed": "false", "aria-label": which ? t("users.showFor", { which }) : undefined });
  const generate = button(t("users.generate"), () => { input.value = randomPassword(); input.type = "text"; show.setAttribute("aria-pressed", "true"); },
    { class: "btn btn-small", "aria-label": which ? t("users.generateFor", { which }) : undefined });
  input.after(h("div", { class: "btn-row" }, show, generate));
  return wrap;
}

/** Allow/deny and the own password of each protocol. */
function protocolFields(user) {
  const disabled = new Set(user.proxy_disabled ?? []);
  const own = user.proxy_passwords ?? {};
  return h("fieldset", { class: "protocols" },
    h("legend", {}, t("users.protocols")),
    h("p", { class: "help" }, t("users.protocolsHelp")),
    PROTOCOLS.map((key) => h("div", { class: "protocol-row" },
      field({ label: t("users.allow", { protocol: t(`users.proto.${key}`) }), name: "proxy_disabled", type: "checkbox", value: !disabled.has(key) }),
      OWN_PASSWORD.has(key)
        ? passwordField({ label: t("users.ownPassword", { protocol: t(`users.proto.${key}`) }), name: key, value: own[key] ?? "", placeholder: t("users.mainPassword"), which: t(`users.proto.${key}`) })
        : null)));
}

/** The JSON body of a user from the form, keeping what the form does not show. */
function userBody(element, values, user, exits) {
  const allowed = [...element.querySelectorAll('[name="proxy_disabled"]')].map((c) => c.checked);
  const denied = PROTOCOLS.filter((_, i) => !allowed[i]);
  const before = user.proxy_disabled ?? [];
  const sameDenied = before.length === denied.length && denied.every((k) => before.includes(k));
  const passwords = { ...user.proxy_passwords };
  for (const key of OWN_PASSWORD) {
    const value = values[key] ?? "";
    if (value || key in passwords) passwords[key] = value;
  }
  const limit = String(element.querySelector('[name="traffic_limit_gb"]').value).trim();
  return {
    id: user.id,
    username: values.username,
    password: values.password,
    enabled: values.enabled,
    ...exits.value(),
    traffic_limit_gb: limit === "" ? 0 : Number(limit),
    expiry: values.expiry.trim(),
    proxy_passwords: passwords,
    proxy_disabled: sameDenied ? before : denied,
  };
}

export default {
  async render(main, { refresh }) {
    mount(main, pageHeader(t("users.title")), loading());
    const state = { users: [], conflicts: {}, devices: [], ikev2: null, query: "", suggestions: [] };
    const notice = h("div");
    const conflictsBox = h("div");
    const listBox = h("div");
    const pick = selection({ label: t("users.bulk"), rowLabel: (name) => t("users.select", { name }), onChange: () => drawList() });
    const context = { notice, reload: refresh };
    const bulk = bulkActions({ area: "users", pick, context, after: () => reloadAll() });

    async function load() {
      const [users, conflicts, sessions, ikev2] = await Promise.allSettled([
        api.get("users"), api.get("users/conflicts"), api.get("sessions"), api.get("ikev2")]);
      if (users.status === "rejected") throw users.reason;
      state.users = users.value;
      state.conflicts = conflicts.value ?? {};
      state.devices = sessions.value?.devices ?? [];
      state.ikev2 = ikev2.value ?? null;
      pick.prune(state.users.map((u) => u.id));
    }

    async function reloadAll() {
      try { await load(); } catch (error) { toast(errorMessage(error), "error"); }
      drawConflicts();
      drawList();
    }

    async function refreshConflicts() {
      try { state.conflicts = await api.get("users/conflicts"); } catch { /* keep the last answer */ }
      drawConflicts();
    }

    function drawConflicts() {
      const entries = Object.entries(state.conflicts);
      conflictsBox.replaceChildren(entries.length ? h("section", { class: "card card-warn entries-card", "aria-labelledby": "users-conflicts" },
        h("h2", { id: "users-conflicts" }, t("users.conflictsTitle")),
        h("p", {}, t("users.conflictsHelp")),
        h("ul", {}, entries.flatMap(([name, byProtocol]) => Object.entries(byProtocol).map(([protocol, others]) =>
          h("li", {}, t("users.conflictLine", { name, protocol: t(`users.proto.${protocol}`), others: others.join(", ") })))))) : "");
    }

    function visible() {
      const q = state.query.trim().toLowerCase();
      if (!q) return state.users;
      return state.users.filter((u) => [u.username, u.id, u.exit_via, ...(u.exit_paths ?? [])].some((s) => (s ?? "").toLowerCase().includes(q)));
    }

    function drawList() {
      redraw(listBox, () => {
        const rows = visible();
        return h("div", { class: "entries" },
          pick.bar(rows.map((u) => u.id), [
            { label: t("common.enable"), run: (ids) => bulk.toggle(ids, true) },
            { label: t("common.disable"), run: (ids) => bulk.toggle(ids, false) },
            { label: t("common.delete"), kind: "danger", run: (ids) => bulk.remove(ids) },
          ]),
          table({
            caption: t("users.caption"),
            empty: state.query ? t("users.noMatch") : t("users.empty"),
            rows,
            rowAttrs: (u) => ({ class: u.enabled ? "" : "row-off" }),
            columns: [
              { label: t("users.colSelect"), cell: (u) => pick.box(u.id, u.username) },
              { label: t("common.enabled"), cell: (u) => enabledSwitch(u) },
              { label: t("users.username"), cell: (u) => nameCell(u) },
              { label: t("users.exit"), cell: (u) => exitSummary(u) },
              { label: t("users.traffic"), class: "num", cell: (u) => trafficCell(u) },
              { label: t("users.expiry"), cell: (u) => h("span", {}, expiryText(u.expiry), expired(u) ? [" ", badge(t("users.expired"), "error")] : null) },
              { label: t("common.actions"), cell: (u) => actions(u) },
            ],
          }));
      });
    }

    function nameCell(user) {
      const shared = Object.keys(state.conflicts[user.username] ?? {});
      return h("span", { class: "user-name" }, h("strong", {}, user.username),
        shared.length ? [" ", badge(t("users.sharedBadge", { protocols: shared.map((k) => t(`users.proto.${k}`)).join(", ") }), "warn")] : null);
    }

    function trafficCell(user) {
      const limit = limitBytes(user);
      const over = limit > 0 && user.traffic_used >= limit;
      return h("span", {}, `${bytes(user.traffic_used ?? 0)} / ${limit > 0 ? bytes(limit) : t("users.unlimited")}`,
        over ? [" ", badge(t("users.overQuota"), "error")] : null);
    }

    function enabledSwitch(user) {
      return h("input", { type: "checkbox", class: "switch", checked: user.enabled, dataset: { focus: `toggle-${user.id}` },
        "aria-label": t("users.enabledFor", { name: user.username }),
        onchange: async (event) => {
          const box = event.target;
          const on = box.checked;
          box.disabled = true;
          const ok = await run(() => api.put(`users/${enc(user.id)}/toggle`, { enabled: on }),
            t(on ? "users.enabledToast" : "users.disabledToast", { name: user.username }), context);
          box.disabled = false;
          if (!ok) { box.checked = !on; return; }
          user.enabled = on;
          box.closest("tr")?.classList.toggle("row-off", !on);
          refreshConflicts();
        } });
    }

    function actions(user) {
      const count = state.devices.filter((d) => d.username === user.username).length;
      return h("div", { class: "btn-row" },
        button(t("common.edit"), () => editUser(user), { class: "btn btn-small", "aria-label": t("users.editNamed", { name: user.username }), dataset: { focus: `edit-${user.id}` } }),
        button(t("users.devicesCount", { count }), () => showDevices(user), { class: "btn btn-small", "aria-label": t("users.devicesNamed", { name: user.username, count }) }),
        button(t("users.clients"), () => showClients(user), { class: "btn btn-small", "aria-label": t("users.clientsNamed", { name: user.username }) }),
        button(t("users.reset"), () => resetTraffic(user), { class: "btn btn-small", "aria-label": t("users.resetNamed", { name: user.username }) }),
        button(t("common.delete"), () => deleteUser(user), { class: "btn btn-small btn-danger", "aria-label": t("users.deleteNamed", { name: user.username }) }));
    }

    async function resetTraffic(user) {
      if (!await confirm(t("users.resetConfirm", { name: user.username }), { confirmLabel: t("users.reset") })) return;
      if (await run(() => api.put(`users/${enc(user.id)}/reset-traffic`, undefined, { ifMatch: false }), t("users.resetDone", { name: user.username }), context)) {
        await reloadAll();
      }
    }

    async function deleteUser(user) {
      if (!await confirm(t("common.deleteConfirm", { name: user.username }), { confirmLabel: t("common.delete") })) return;
      if (await run(() => api.del(`users/${enc(user.id)}`), t("users.deleted", { name: user.username }), context)) {
        pick.ids.delete(user.id);
        await reloadAll();
      }
    }

    function editUser(existing) {
      const user = existing ?? { enabled: true };
      const title = existing ? t("users.editTitle", { name: existing.username }) : t("users.addTitle");
      dialog(title, ({ close }) => {
        const exits = exitEditor({ entry: user, suggestions: state.suggestions });
        return form({
          label: title,
          submitLabel: existing ? t("common.save") : t("users.add"),
          fields: [
            h("div", { class: "form-grid" },
              field({ label: t("users.username"), name: "username", value: user.username, required: true, autocomplete: "off" }),
              passwordField({ label: t("users.password"), name: "password", value: user.password, required: true })),
            field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: user.enabled }),
            exits.element,
            h("div", { class: "form-grid" },
              field({ label: t("users.limit"), name: "traffic_limit_gb", type: "number", min: 0, value: user.traffic_limit_gb || "", placeholder: "0", help: t("users.limitHelp") }),
              field({ label: t("users.expiry"), name: "expiry", value: user.expiry, placeholder: "2027-01-01", help: t("users.expiryHelp") })),
            protocolFields(user),
          ],
          async onSubmit(values, element) {
            const body = userBody(element, values, user, exits);
            const result = existing ? await api.put(`users/${enc(existing.id)}`, body) : await api.post("users", body);
            close();
            reportWrite(result, t(existing ? "users.saved" : "users.added", { name: body.username }));
            await reloadAll();
          },
        });
      });
    }

    function showDevices(user) {
      dialog(t("users.devicesTitle", { name: user.username }), () => {
        const box = h("div", {}, loading());
        async function fill() {
          try {
            const all = (await api.get("sessions")).devices ?? [];
            state.devices = all;
            const mine = all.filter((d) => d.username === user.username);
            mount(box, table({
              caption: t("users.devicesCaption", { name: user.username }),
              empty: t("users.noDevices"),
              rows: mine,
              columns: [
                { label: t("users.protocol"), cell: (d) => t(`users.proto.${d.protocol}`) },
                { label: t("users.address"), cell: (d) => h("code", {}, d.remote_ip) },
                { label: t("users.since"), cell: (d) => dateTime(d.connect_at * 1000) },
                { label: t("users.connections"), class: "num", cell: (d) => String(d.conn_count) },
                { label: t("users.sent"), class: "num", cell: (d) => bytes(d.tx_bytes) },
                { label: t("users.received"), class: "num", cell: (d) => bytes(d.rx_bytes) },
                { label: t("common.actions"), cell: (d) => button(t("users.kick"), () => kick(d), { class: "btn btn-small btn-danger",
                  "aria-label": t("users.kickNamed", { address: d.remote_ip, protocol: t(`users.proto.${d.protocol}`) }) }) },
              ],
            }), h("div", { class: "form-actions" }, button(t("common.refresh"), fill)));
          } catch (error) {
            mount(box, h("p", { class: "form-error" }, errorMessage(error)));
          }
        }
        async function kick(device) {
          if (await run(() => api.del(`sessions/${enc(device.key)}`, { ifMatch: false }), t("users.kicked", { address: device.remote_ip }))) fill();
        }
        fill();
        return box;
      });
    }

    function showClients(user) {
      dialog(t("users.clientsTitle", { name: user.username }), () => {
        const ikev2 = state.ikev2;
        const barred = (user.proxy_disabled ?? []).includes("ikev2");
        let ikev2Part;
        if (!ikev2?.enabled) ikev2Part = h("p", { class: "muted" }, t("users.ikev2Off"));
        else if (barred) ikev2Part = h("p", { class: "muted" }, t("users.ikev2Barred"));
        else {
          ikev2Part = h("div", { class: "btn-row" },
            button(t("users.mobileconfig"), () => profile(user, "mobileconfig")),
            ikev2.mode === "psk" ? null : button(t("users.sswan"), () => profile(user, "sswan")));
        }
        return h("div", {},
          h("h3", {}, t("users.proto.ikev2")), h("p", { class: "help" }, t("users.ikev2Help")), ikev2Part,
          shareLinks(user));
      });
    }

    // Share links (hy2://, ss://) belong here once the API can build them; it cannot yet, and a
    // link made up here could disagree with the listeners, so none is shown.
    function shareLinks() { return null; }

    async function profile(user, format) {
      try {
        await downloadIKEv2Profile(user.username, format);
      } catch (error) {
        toast(error.status === 409 ? error.message : errorMessage(error), "error"); // 409 here: psk mode, or no CA yet
      }
    }

    const add = button(t("users.addButton"), () => editUser(null), { kind: "primary" });
    const search = h("input", { type: "search", id: "users-search", value: state.query, autocomplete: "off",
      oninput: (event) => { state.query = event.target.value; drawList(); } });
    try {
      await load();
    } catch (error) {
      mount(main, pageHeader(t("users.title")), h("p", { class: "form-error", role: "alert" }, errorMessage(error)),
        button(t("common.reload"), refresh));
      return undefined;
    }
    mount(main, pageHeader(t("users.title"), add), notice, conflictsBox,
      h("div", { class: "toolbar" }, h("div", { class: "field" }, h("label", { for: "users-search" }, t("users.search")), search)),
      listBox);
    drawConflicts();
    drawList();
    exitSuggestions().then((paths) => { state.suggestions = paths; });
    return undefined;
  },
};
