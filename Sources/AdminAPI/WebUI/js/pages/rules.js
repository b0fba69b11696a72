// The rules page: host routing rules (IP and domain targets and the exit their traffic takes),
// their priority order and TUN use, and the legacy global TUN mode switch.

import { h, mount } from "../dom.js";
import { t } from "../i18n.js";
import { api } from "../api.js";
import { button, field, form, dialog, confirm, toast, table, badge, pageHeader, loading, errorMessage, reportWrite } from "../ui.js";
import { bulkActions, enc, exitEditor, exitSummary, exitSuggestions, run, selection, redraw } from "../entries.js";

/** Highest priority first (it wins where targets overlap); ties keep the file's order. */
function ordered(rules) {
  return rules.map((rule, index) => ({ rule, index }))
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index)
    .map((x) => x.rule);
}

function label(rule) { return rule.name || rule.id; }

/** A rule as the API takes it back: without the runtime `tun_active`. */
function body(rule) {
  const copy = { ...rule };
  delete copy.tun_active;
  return copy;
}

function targetsCell(rule) {
  const shown = rule.targets.slice(0, 3).join(", ");
  const more = rule.targets.length - 3;
  return h("span", { title: rule.targets.join("\n") }, h("code", {}, shown), more > 0 ? ` ${t("rules.more", { count: more })}` : "");
}

function tunCell(rule) {
  if (rule.type !== "ip" || !rule.use_tun) return h("span", { class: "muted" }, t("rules.tunOff"));
  if (!rule.enabled) return badge(t("rules.tunRequested"));
  return rule.tun_active ? badge(t("rules.tunActive"), "ok") : badge(t("rules.tunCapture"), "warn");
}

export default {
  async render(main, { refresh }) {
    mount(main, pageHeader(t("rules.title")), loading());
    const state = { rules: [], available: true, tunActive: false, tun: null, suggestions: [] };
    const notice = h("div");
    const tunBox = h("div");
    const listBox = h("div");
    const context = { notice, reload: refresh };
    const pick = selection({ label: t("rules.bulk"), rowLabel: (name) => t("rules.select", { name }), onChange: () => drawList() });
    const bulk = bulkActions({ area: "rules", pick, context, after: () => reloadAll() });

    async function load() {
      const [list, tun] = await Promise.all([api.get("rules"), api.get("rules/tun-mode").catch(() => null)]);
      state.rules = list.rules ?? [];
      state.available = list.available !== false;
      state.tunActive = !!list.tun_active;
      state.tun = tun;
      pick.prune(state.rules.map((r) => r.id));
    }

    async function reloadAll() {
      try { await load(); } catch (error) { toast(errorMessage(error), "error"); }
      drawTun();
      drawList();
    }

    function drawTun() {
      const tun = state.tun ?? { enabled: false, mode: "mixed" };
      tunBox.replaceChildren(h("section", { class: "card entries-card", "aria-labelledby": "rules-tun" },
        h("h2", { id: "rules-tun" }, t("rules.tunTitle")),
        h("p", { class: "help" }, t("rules.tunHelp")),
        h("p", {}, t("rules.tunState"), " ", state.tunActive ? badge(t("rules.tunInUse"), "ok") : badge(t("rules.tunNotInUse"))),
        form({
          label: t("rules.tunTitle"),
          fields: h("div", { class: "form-grid" },
            field({ label: t("rules.tunAll"), name: "enabled", type: "checkbox", value: tun.enabled }),
            field({ label: t("rules.tunMode"), name: "mode", type: "select", value: tun.mode || "mixed",
              options: [{ value: "mixed", label: t("rules.tunMixed") }, { value: "full", label: t("rules.tunFull") }] })),
          async onSubmit(values) {
            const change = { enabled: values.enabled };
            if (values.mode !== (tun.mode || "mixed")) change.mode = values.mode; // an unchanged mode is not written
            reportWrite(await api.put("rules/tun-mode", change), t("common.saved"));
            await reloadAll();
          },
        })));
    }

    function drawList() {
      redraw(listBox, () => {
        const rows = ordered(state.rules);
        return h("section", { class: "entries", "aria-labelledby": "rules-list" },
          h("h2", { id: "rules-list" }, t("rules.listTitle")),
          h("p", { class: "help" }, t("rules.listHelp")),
          pick.bar(rows.map((r) => r.id), [
            { label: t("common.enable"), run: (ids) => bulk.toggle(ids, true) },
            { label: t("common.disable"), run: (ids) => bulk.toggle(ids, false) },
            { label: t("common.delete"), kind: "danger", run: (ids) => bulk.remove(ids) },
          ]),
          table({
            caption: t("rules.caption"),
            empty: t("rules.empty"),
            rows,
            rowAttrs: (r) => ({ class: r.enabled ? "" : "row-off" }),
            columns: [
              { label: t("rules.colSelect"), cell: (r) => pick.box(r.id, label(r)) },
              { label: t("common.enabled"), cell: (r) => enabledSwitch(r) },
              { label: t("common.name"), cell: (r) => h("span", {}, h("strong", {}, label(r)), r.name ? h("span", { class: "muted" }, ` (${r.id})`) : null) },
              { label: t("rules.type"), cell: (r) => badge(r.type === "domain" ? t("rules.typeDomain") : t("rules.typeIP")) },
              { label: t("rules.targets"), cell: targetsCell },
              { label: t("rules.exit"), cell: (r) => exitSummary(r) },
              { label: t("rules.priority"), class: "num", cell: (r) => priorityCell(r, rows) },
              { label: t("rules.tun"), cell: tunCell },
              { label: t("common.actions"), cell: (r) => h("div", { class: "btn-row" },
                button(t("common.edit"), () => editRule(r), { class: "btn btn-small", "aria-label": t("rules.editNamed", { name: label(r) }), dataset: { focus: `edit-${r.id}` } }),
                button(t("common.delete"), () => deleteRule(r), { class: "btn btn-small btn-danger", "aria-label": t("rules.deleteNamed", { name: label(r) }) })) },
            ],
          }));
      });
    }

    function enabledSwitch(rule) {
      return h("input", { type: "checkbox", class: "switch", checked: rule.enabled, dataset: { focus: `toggle-${rule.id}` },
        "aria-label": t("rules.enabledFor", { name: label(rule) }),
        onchange: async (event) => {
          const box = event.target;
          const on = box.checked;
          box.disabled = true;
          const ok = await run(() => api.put(`rules/${enc(rule.id)}/toggle`, { enabled: on }),
            t(on ? "rules.enabledToast" : "rules.disabledToast", { name: label(rule) }), context);
          box.disabled = false;
          if (!ok) { box.checked = !on; return; }
          rule.enabled = on;
          box.closest("tr")?.classList.toggle("row-off", !on);
        } });
    }

    function priorityCell(rule, rows) {
      const i = rows.indexOf(rule);
      return h("span", { class: "priority" }, String(rule.priority ?? 0),
        button("↑", () => move(rows, i, -1), { class: "btn btn-small", disabled: i === 0,
          "aria-label": t("rules.up", { name: label(rule) }), dataset: { focus: `up-${rule.id}` } }),
        button("↓", () => move(rows, i, 1), { class: "btn btn-small", disabled: i === rows.length - 1,
          "aria-label": t("rules.down", { name: label(rule) }), dataset: { focus: `down-${rule.id}` } }));
    }

    /**
     * Moves a rule past its neighbour in the order: their priorities swap, or when equal the
     * moved rule goes one above (or below) it. One rule is written at a time.
     */
    async function move(rows, i, step) {
      const rule = rows[i];
      const other = rows[i + step];
      const a = rule.priority ?? 0;
      const b = other.priority ?? 0;
      const writes = a === b ? [[rule, b - step]] : [[rule, b], [other, a]];
      for (const [entry, priority] of writes) {
        if (!await run(() => api.put(`rules/${enc(entry.id)}`, { ...body(entry), priority }), null, context)) break;
      }
      await reloadAll();
      // At the top or bottom its own arrow is disabled now; the other one keeps the focus.
      const keys = step < 0 ? ["up", "down"] : ["down", "up"];
      keys.map((k) => listBox.querySelector(`[data-focus="${k}-${CSS.escape(rule.id)}"]:not(:disabled)`)).find(Boolean)?.focus();
    }

    async function deleteRule(rule) {
      if (!await confirm(t("common.deleteConfirm", { name: label(rule) }), { confirmLabel: t("common.delete") })) return;
      if (await run(() => api.del(`rules/${enc(rule.id)}`), t("rules.deleted", { name: label(rule) }), context)) {
        pick.ids.delete(rule.id);
        await reloadAll();
      }
    }

    function editRule(existing) {
      const rule = existing ?? { type: "ip", targets: [], enabled: true, priority: 0 };
      const title = existing ? t("rules.editTitle", { name: label(existing) }) : t("rules.addTitle");
      dialog(title, ({ close }) => {
        const exits = exitEditor({ entry: rule, suggestions: state.suggestions, required: true });
        const tunField = field({ label: t("rules.useTun"), name: "use_tun", type: "checkbox", value: rule.use_tun, help: t("rules.useTunHelp") });
        const typeField = field({ label: t("rules.type"), name: "type", type: "select", value: rule.type,
          options: [{ value: "ip", label: t("rules.typeIP") }, { value: "domain", label: t("rules.typeDomain") }] });
        const targets = field({ label: t("rules.targets"), name: "targets", type: "textarea", rows: 5, required: true,
          value: rule.targets.join("\n"), help: t("rules.targetsHelp") });
        const sync = () => {
          const ip = typeField.querySelector("select").value === "ip";
          tunField.querySelector("input").disabled = !ip;
          targets.querySelector("textarea").placeholder = ip ? "203.0.113.0/24\n198.51.100.7" : "example.com\n*.example.org";
        };
        typeField.querySelector("select").addEventListener("change", sync);
        sync();
        return form({
          label: title,
          submitLabel: existing ? t("common.save") : t("rules.add"),
          fields: [
            h("div", { class: "form-grid" },
              field({ label: t("common.name"), name: "name", value: rule.name, autocomplete: "off" }),
              typeField),
            targets,
            exits.element,
            h("div", { class: "form-grid" },
              field({ label: t("rules.priority"), name: "priority", type: "number", value: rule.priority ?? 0, help: t("rules.priorityHelp") }),
              h("div", {}, tunField, field({ label: t("common.enabled"), name: "enabled", type: "checkbox", value: rule.enabled }))),
          ],
          async onSubmit(values) {
            const sent = {
              ...(existing ? body(existing) : {}),
              name: values.name.trim(),
              type: values.type,
              targets: values.targets.split(/[\n,]/).map((s) => s.trim()).filter(Boolean),
              ...exits.value(),
              priority: Math.trunc(values.priority) || 0,
              use_tun: values.type === "ip" && values.use_tun,
              enabled: values.enabled,
            };
            const result = existing ? await api.put(`rules/${enc(existing.id)}`, sent) : await api.post("rules", sent);
            close();
            reportWrite(result, t(existing ? "rules.saved" : "rules.added", { name: sent.name || existing?.id || result.id || "" }));
            await reloadAll();
          },
        });
      });
    }

    try {
      await load();
    } catch (error) {
      mount(main, pageHeader(t("rules.title")), h("p", { class: "form-error", role: "alert" }, errorMessage(error)),
        button(t("common.reload"), refresh));
      return undefined;
    }
    mount(main, pageHeader(t("rules.title"), button(t("rules.addButton"), () => editRule(null), { kind: "primary" })),
      notice,
      state.available ? null : h("p", { class: "card card-warn", role: "status" }, t("rules.unavailable")),
      listBox, tunBox);
    drawList();
    drawTun();
    exitSuggestions().then((paths) => { state.suggestions = paths; });
    return undefined;
  },
};
