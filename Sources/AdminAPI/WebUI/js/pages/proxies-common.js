// Pieces shared by the tabs of the proxies page: service status, port checks, exit paths,
// save outcomes and the lazy loading of a tab.

import { h, mount } from "../dom.js";
import { api, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { badge, loading, errorMessage } from "../ui.js";
import { exitEditor, exitSuggestions, exitSummary } from "../entries.js";

/** The port of a listen value: `host:port`, `[::]:port`, `:port`, `port`, `host:5565,44000-45000`. */
export function portOf(listen) {
  const match = /(?:^|:)(\d{1,5})$/.exec(String(listen ?? "").trim().split(",")[0]);
  const port = match ? Number(match[1]) : 0;
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * Refuses a port another program holds, at the control `name`. `held` is the port this service
 * holds now (it is busy because of the service itself), skipped.
 */
export async function checkPort(name, listen, held) {
  const port = portOf(listen);
  if (!port || port === held) return;
  const answer = await api.post("check-ports", { ports: [port] }, { ifMatch: false });
  if (answer?.results?.[String(port)] === false) {
    throw new ApiError(422, { error: t("proxies.portTaken", { port }), field: name });
  }
}

/** "Running" / "Not running" with the reason, or that the service is off. */
export function serviceStatus({ enabled, running, reason, detail }) {
  const parts = running
    ? [badge(t("common.running"), "ok"), detail]
    : [badge(t("common.stopped"), enabled ? "error" : "neutral"),
      reason ? t("common.reason", { reason }) : enabled ? "" : t("proxies.off")];
  return h("p", { class: "service-status" }, h("span", { class: "sr-only" }, `${t("common.status")}: `),
    parts.filter(Boolean).map((p) => (typeof p === "string" ? h("span", {}, p) : p)));
}

/** Whether the listener `key` of `GET status` is bound, and the failure that names it. */
export function listenerState(status, key, ...words) {
  const running = (status?.listeners ?? []).some((l) => l.key === key);
  const terms = [key, ...words].filter(Boolean);
  const line = running ? "" : (status?.failures ?? []).find((f) => terms.some((w) => f.includes(w))) ?? "";
  return { running, reason: line.replace(/^.*FAILED:\s*/, "") };
}

/** `GET status`, or null when the node cannot tell (the tab still works without it). */
export function loadStatus() {
  return api.get("status").catch(() => null);
}

/**
 * The exit path editor of users and rules, without their fallback, which these entries do not
 * have. `value()` gives `{exit_via, exit_paths, exit_mode}`.
 */
export function exitControls(entry, suggestions) {
  const editor = exitEditor({ entry: entry ?? {}, suggestions });
  const fallback = editor.element.querySelector('[name="fallback"]')?.closest(".field");
  if (fallback) fallback.hidden = true;
  return {
    element: editor.element,
    value() {
      const { exit_via, exit_paths, exit_mode } = editor.value();
      return { exit_via, exit_paths, exit_mode };
    },
  };
}

export { exitSuggestions, exitSummary };

/**
 * Renders a tab into `panel` with `build(panel, reload)`; a tab switched away from before its
 * data arrived is not drawn over the next one.
 */
export async function loadTab(panel, build) {
  const token = String(Number(panel.dataset.load ?? 0) + 1);
  panel.dataset.load = token;
  mount(panel, loading());
  const reload = () => loadTab(panel, build);
  try {
    const content = await build(reload);
    if (panel.dataset.load === token) mount(panel, content);
  } catch (error) {
    if (panel.dataset.load === token) {
      mount(panel, h("p", { class: "form-error", role: "alert" }, errorMessage(error)),
        h("button", { type: "button", class: "btn", onclick: reload }, t("common.reload")));
    }
  }
}

/** A heading with actions at its right, inside a tab. */
export function sectionHeader(title, ...actions) {
  return h("div", { class: "section-header" }, h("h2", {}, title), h("div", { class: "btn-row" }, actions));
}

/** Shows a control's `.field` wrapper only while `visible`. */
export function showField(form, name, visible) {
  const wrapper = form.querySelector(`[name="${name}"]`)?.closest(".field");
  if (wrapper) wrapper.hidden = !visible;
}
