// Pieces the users and rules pages share: the exit path editor, the outcome of a write,
// row selection with bulk actions, and keeping focus across a re-render.

import { h, uid } from "./dom.js";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { button, confirm, download, field, reportWrite, toast, errorMessage } from "./ui.js";

/** Path segment for an id or name. */
export const enc = encodeURIComponent;

/**
 * Downloads a user's IKEv2 client profile: `mobileconfig` (Apple devices) or `sswan` (the
 * strongSwan app); `server` is the address the profile dials, the node's own when empty.
 */
export async function downloadIKEv2Profile(username, format, server = "") {
  const query = new URLSearchParams({ format });
  if (server) query.set("server", server);
  download(`${username}.${format}`, await api.get(`ikev2/profiles/${enc(username)}?${query}`, { expect: "blob" }));
}

/** Exit paths offered as suggestions: every peer in the topology and the chains behind it. */
export async function exitSuggestions() {
  let topology = [];
  try { topology = await api.get("topology"); } catch { return []; }
  const paths = new Set();
  function walk(nodes, prefix) {
    for (const node of nodes ?? []) {
      if (prefix.split("/").includes(node.name)) continue; // a loop in stale data
      const path = prefix ? `${prefix}/${node.name}` : node.name;
      paths.add(path);
      walk(node.children, path);
    }
  }
  for (const node of topology) {
    if (node.is_self) walk(node.children, "");
    else walk([node], "");
  }
  return [...paths].sort();
}

const MODES = ["", "quality", "aggregate"];

/** "us/us-east (+1, quality)"; `local` when there is no exit. */
export function exitSummary(entry) {
  const paths = entry.exit_paths?.length ? entry.exit_paths : entry.exit_via ? [entry.exit_via] : [];
  if (!paths.length) return h("span", { class: "muted" }, t("exitpath.local"));
  const more = paths.length > 1 ? ` (+${paths.length - 1}${entry.exit_mode ? `, ${modeLabel(entry.exit_mode)}` : ""})` : "";
  return h("span", {}, h("code", {}, paths[0]), more);
}

function modeLabel(mode) {
  const known = { "": "exitpath.modeDirect", direct: "exitpath.modeDirect", quality: "exitpath.modeQuality",
    stability: "exitpath.modeQuality", aggregate: "exitpath.modeAggregate", speed: "exitpath.modeAggregate" };
  return known[mode] ? t(known[mode]) : mode;
}

/**
 * The exit fields of a user or rule: an ordered list of paths (the first is the primary, written
 * as `exit_via`), the exit mode and the fallback. Controls are named after the JSON keys so a 422
 * lands on them. `value()` gives `{exit_via, exit_paths, exit_mode, fallback}`.
 */
export function exitEditor({ entry = {}, suggestions = [], required = false }) {
  let paths = entry.exit_paths?.length ? [...entry.exit_paths] : [entry.exit_via ?? ""];
  const keepList = !!entry.exit_paths?.length; // the file already spells the list out
  const listId = uid("exits");
  const rows = h("ol", { class: "exit-list" });
  const datalist = h("datalist", { id: listId }, suggestions.map((p) => h("option", { value: p })));

  function draw(focus) {
    rows.replaceChildren(...paths.map((path, i) => {
      const id = uid("exit");
      const errorId = `${id}-error`;
      const label = t("exitpath.path", { n: i + 1 });
      const input = h("input", { id, name: i === 0 ? "exit_via" : "exit_paths", value: path, list: listId,
        autocomplete: "off", spellcheck: "false", placeholder: t("exitpath.placeholder"), "aria-describedby": errorId,
        required: required && i === 0, oninput: (event) => { paths[i] = event.target.value; } });
      const move = (step) => {
        const j = i + step;
        [paths[i], paths[j]] = [paths[j], paths[i]];
        draw(step < 0 ? [`${j}-up`, `${j}-down`] : [`${j}-down`, `${j}-up`]);
      };
      return h("li", { class: "field exit-row" },
        h("label", { for: id, class: "sr-only" }, label),
        h("div", { class: "exit-controls" },
          input,
          paths.length > 1 ? [
            button("↑", () => move(-1), { class: "btn btn-small", disabled: i === 0, "aria-label": t("exitpath.up", { n: i + 1 }), dataset: { focus: `${i}-up` } }),
            button("↓", () => move(1), { class: "btn btn-small", disabled: i === paths.length - 1, "aria-label": t("exitpath.down", { n: i + 1 }), dataset: { focus: `${i}-down` } }),
            button("×", () => { paths.splice(i, 1); draw(["add"]); }, { class: "btn btn-small", "aria-label": t("exitpath.remove", { n: i + 1 }) }),
          ] : null),
        h("p", { class: "field-error", id: errorId, role: "alert" }));
    }));
    const scope = rows.parentElement;
    const target = scope && (focus ?? []).map((key) => scope.querySelector(`[data-focus="${key}"]:not(:disabled)`)).find(Boolean);
    target?.focus();
  }
  draw();

  const add = button(t("exitpath.add"), () => {
    paths.push("");
    draw();
    rows.querySelector("li:last-child input")?.focus();
  }, { class: "btn btn-small", dataset: { focus: "add" } });

  const known = MODES.includes(entry.exit_mode ?? "") || entry.exit_mode === "direct";
  const modeOptions = MODES.map((m) => ({ value: m, label: modeLabel(m) }));
  if (!known) modeOptions.push({ value: entry.exit_mode, label: entry.exit_mode });
  const element = h("fieldset", { class: "exit-editor" },
    h("legend", {}, t("exitpath.legend"), required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
    h("p", { class: "help" }, required ? t("exitpath.helpRequired") : t("exitpath.help")),
    rows, datalist, h("div", { class: "btn-row" }, add),
    h("div", { class: "form-grid" },
      field({ label: t("exitpath.mode"), name: "exit_mode", type: "select", value: entry.exit_mode === "direct" ? "" : entry.exit_mode ?? "",
        options: modeOptions, help: t("exitpath.modeHelp") }),
      field({ label: t("exitpath.fallback"), name: "fallback", type: "select", value: entry.fallback === "none" ? "" : entry.fallback ?? "",
        options: [{ value: "", label: t("exitpath.fallbackNone") }, { value: "direct", label: t("exitpath.fallbackDirect") },
          ...(["", "none", "direct"].includes(entry.fallback ?? "") ? [] : [{ value: entry.fallback, label: entry.fallback }])] })));

  function value() {
    const list = paths.map((p) => p.trim()).filter(Boolean);
    const form = element;
    const mode = form.querySelector('[name="exit_mode"]').value;
    const fallback = form.querySelector('[name="fallback"]').value;
    return {
      exit_via: list[0] ?? "",
      exit_paths: list.length > 1 || (keepList && list.length) ? list : [],
      // An unchanged spelling ("direct", "none", a v1.3 name) is written back as it was.
      exit_mode: mode === "" && entry.exit_mode === "direct" ? "direct" : mode,
      fallback: fallback === "" && entry.fallback === "none" ? "none" : fallback,
    };
  }
  return { element, value };
}

/**
 * Runs a write. A 409 (the file changed underneath) is shown once in `notice` with a reload
 * button, since the page's copy is stale; other errors are toasted. Resolves true on success.
 */
export async function run(action, success, { notice, reload } = {}) {
  try {
    reportWrite(await action(), success ?? null);
    return true;
  } catch (error) {
    // The store's stale If-Match answer; other 409s (a taken name, an unreadable file) say why.
    const stale = error.status === 409 && !error.field && /changed since/.test(error.message);
    if (stale && notice) {
      notice.replaceChildren(h("div", { class: "card card-warn entries-card", role: "alert" },
        h("p", {}, errorMessage(error)), button(t("common.reload"), reload, { kind: "primary" })));
    } else {
      toast(error.status === 409 && !stale ? error.message : errorMessage(error), "error");
    }
    return false;
  }
}

/**
 * The bulk actions of a list page (`users`, `rules`): toggle and delete the selected entries, one
 * request at a time, since each write changes the revision the next one must name. Stops at the
 * first failure; `after()` reloads the page. Messages are `<area>.bulkDone` and the like.
 */
export function bulkActions({ area, pick, context, after }) {
  async function each(ids, request, onDone) {
    let done = 0;
    for (const id of ids) {
      if (!await run(() => request(`${area}/${enc(id)}`), null, context)) break;
      onDone?.(id);
      done += 1;
    }
    return done;
  }
  return {
    async toggle(ids, on) {
      const done = await each(ids, (path) => api.put(`${path}/toggle`, { enabled: on }));
      if (done) toast(t(`${area}.bulkDone`, { count: done }), "ok");
      await after();
    },
    async remove(ids) {
      if (!await confirm(t(`${area}.bulkDeleteConfirm`, { count: ids.length }), { confirmLabel: t("common.delete") })) return;
      const done = await each(ids, (path) => api.del(path), (id) => pick.ids.delete(id));
      if (done) toast(t(`${area}.bulkDeleted`, { count: done }), "ok");
      await after();
    },
  };
}

/**
 * Checkbox selection over rows keyed by id, with a bar of bulk actions. `onChange` redraws.
 * actions: [{label, kind, run(ids)}].
 */
export function selection({ label, rowLabel, onChange }) {
  const ids = new Set();
  return {
    ids,
    prune(valid) { for (const id of ids) if (!valid.includes(id)) ids.delete(id); },
    box(id, name) {
      return h("input", { type: "checkbox", checked: ids.has(id), "aria-label": rowLabel(name), dataset: { focus: `select-${id}` },
        onchange: (event) => { if (event.target.checked) ids.add(id); else ids.delete(id); onChange(); } });
    },
    bar(visibleIds, actions) {
      const all = visibleIds.length > 0 && visibleIds.every((id) => ids.has(id));
      const some = visibleIds.some((id) => ids.has(id));
      const allBox = h("input", { type: "checkbox", id: uid("all"), checked: all, indeterminate: some && !all, disabled: !visibleIds.length,
        dataset: { focus: "select-all" },
        onchange: (event) => { visibleIds.forEach((id) => (event.target.checked ? ids.add(id) : ids.delete(id))); onChange(); } });
      return h("div", { class: "bulk-bar", role: "group", "aria-label": label },
        h("span", { class: "field-check" }, allBox, h("label", { for: allBox.id }, t("entries.selectAll"))),
        h("span", { class: "muted", "aria-live": "polite" }, t("entries.selected", { count: ids.size })),
        actions.map((a) => button(a.label, () => a.run([...ids]), { class: `btn btn-small${a.kind ? ` btn-${a.kind}` : ""}`, disabled: !ids.size })));
    },
  };
}

/** Re-renders `container` with `build()`, giving focus back to the control that had it. */
export function redraw(container, build) {
  const key = document.activeElement?.dataset?.focus;
  container.replaceChildren(build());
  if (key) container.querySelector(`[data-focus="${CSS.escape(key)}"]`)?.focus();
}
