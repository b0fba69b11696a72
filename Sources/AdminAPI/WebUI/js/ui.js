// Shared components: form fields with their error slots, dialogs, toasts, tables, tabs,
// copy and download. Pages compose these; none of them knows about a page.

import { h, uid } from "./dom.js";
import { t } from "./i18n.js";
import { ApiError } from "./api.js";

/** A button. `kind`: "primary", "danger", "ghost" or none. */
export function button(label, onClick, { kind, type = "button", ...attrs } = {}) {
  return h("button", { type, class: kind ? `btn btn-${kind}` : "btn", onclick: onClick, ...attrs }, label);
}

/**
 * A labelled form control with a slot for its error. `name` is the key in the form's values and
 * the last part of the config path a 422 names (`users[2].username` → `username`).
 * type: text, password, number, email, url, date, datetime-local, textarea, select, checkbox, or
 * secret (a stored secret such as a key or PSK: hidden until its Show button is pressed).
 */
export function field({ label, name, type = "text", value, help, options, required, placeholder, autocomplete, readonly, rows, min, max }) {
  const id = uid(`f-${name}`);
  const errorId = `${id}-error`;
  const helpId = help ? `${id}-help` : undefined;
  const described = [helpId, errorId].filter(Boolean).join(" ");
  let control;
  if (type === "select") {
    const choices = (options ?? []).map((o) => (typeof o === "string" ? { value: o, label: o } : o));
    // A value the options lack (a certificate the list did not load) stays the choice: otherwise
    // the browser would pick the first option and saving would silently change the file.
    if (value !== undefined && value !== null && value !== "" && !choices.some((c) => String(c.value) === String(value))) {
      choices.push({ value, label: String(value) });
    }
    control = h("select", { id, name, "aria-describedby": described, required, disabled: readonly },
      choices.map((option) => h("option", { value: option.value, selected: String(option.value) === String(value ?? "") }, option.label)));
  } else if (type === "textarea") {
    control = h("textarea", { id, name, rows: rows ?? 4, "aria-describedby": described, required, placeholder, readonly, spellcheck: "false" });
    control.value = value ?? "";
  } else if (type === "checkbox") {
    control = h("input", { id, name, type: "checkbox", checked: !!value, "aria-describedby": described, disabled: readonly });
  } else {
    control = h("input", { id, name, type: type === "secret" ? "password" : type, value: value ?? "", "aria-describedby": described,
      required, placeholder, autocomplete: type === "secret" ? "off" : autocomplete, readonly, min, max });
  }
  const labelElement = h("label", { for: id }, label);
  const shown = type === "secret" ? h("div", { class: "secret" }, control, revealButton(control, label)) : control;
  return h("div", { class: type === "checkbox" ? "field field-check" : "field" },
    type === "checkbox" ? [control, labelElement] : [labelElement, shown],
    help ? h("p", { class: "help", id: helpId }, help) : null,
    h("p", { class: "field-error", id: errorId, role: "alert" }));
}

/** Shows or hides a secret input's text. */
function revealButton(input, label) {
  const toggle = h("button", { type: "button", class: "btn btn-small", "aria-pressed": "false",
    "aria-label": t("common.showSecret", { name: label }), onclick: () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      toggle.setAttribute("aria-pressed", String(show));
    } }, t("common.show"));
  return toggle;
}

/** The values of a form's named controls: checkboxes as booleans, numbers as numbers. */
export function formValues(form) {
  const values = {};
  for (const control of form.querySelectorAll("[name]")) {
    if (control.type === "checkbox") values[control.name] = control.checked;
    else if (control.type === "number") values[control.name] = control.value === "" ? 0 : Number(control.value);
    else values[control.name] = control.value;
  }
  return values;
}

/** Clears the errors a previous submit showed. */
export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((p) => { p.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
  const general = form.querySelector(".form-error");
  if (general) general.replaceChildren();
}

/** The form control a config path or JSON field names, by its last key. */
function controlFor(form, path) {
  if (!path) return null;
  // A control may claim a whole path (two keys of one form with the same last part).
  const claimed = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
  if (claimed) return claimed;
  const keys = path.replace(/\[\d+\]/g, "").split(".").filter(Boolean);
  for (let i = keys.length - 1; i >= 0; i--) {
    const control = form.querySelector(`[name="${CSS.escape(keys[i])}"]`);
    if (control) return control;
  }
  return null;
}

/**
 * Shows an API error on a form: a 422's message at the field it names (the rest of its problems
 * listed above the buttons), a 409 as "changed elsewhere", anything else above the buttons.
 */
export function showError(form, error) {
  clearErrors(form);
  const general = form.querySelector(".form-error");
  const control = error instanceof ApiError ? controlFor(form, error.field) : null;
  if (control) {
    control.setAttribute("aria-invalid", "true");
    const slot = control.closest(".field")?.querySelector(".field-error");
    if (slot) slot.textContent = fieldMessage(error);
    control.focus();
  }
  if (general && (!control || error.problems?.length > 1)) {
    general.append(h("p", {}, errorMessage(error)));
    if (error.problems?.length) general.append(h("ul", {}, error.problems.map((p) => h("li", {}, p))));
    if (isStale(error)) general.append(button(t("common.reload"), () => location.reload()));
  }
}

function fieldMessage(error) {
  if (!error.problems?.length) return error.message;
  const text = error.problems[0].replace(/^[^:]*:\d+:\d+: /, "");
  return error.field && text.startsWith(`${error.field}: `) ? text.slice(error.field.length + 2) : text;
}

/** A 409 for an edit made on an old revision (other 409s, such as "in use" or "exists", say why themselves). */
function isStale(error) {
  return error.status === 409 && /changed since/.test(error.message);
}

/** The words for an error, 409 and network failures in the user's language. */
export function errorMessage(error) {
  if (error instanceof ApiError) {
    if (isStale(error)) return t("common.conflict");
    if (error.status === 0) return t("common.offline");
    return error.message;
  }
  return String(error?.message ?? error);
}

/**
 * A form with fields, a general error slot and a submit button. `onSubmit(values)` may throw an
 * ApiError; it is shown on the form. Returns the form element.
 */
export function form({ fields, submitLabel, onSubmit, extra, label }) {
  const submit = button(submitLabel ?? t("common.save"), null, { kind: "primary", type: "submit" });
  const element = h("form", { class: "form", novalidate: true, "aria-label": label },
    fields, extra, h("div", { class: "form-error", role: "alert" }), h("div", { class: "form-actions" }, submit));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(element);
    submit.disabled = true;
    try {
      await onSubmit(formValues(element), element);
    } catch (error) {
      showError(element, error);
    } finally {
      submit.disabled = false;
    }
  });
  return element;
}

const openDialogs = new Set();

/** Closes every open dialog (leaving the page they belong to). */
export function closeDialogs() {
  openDialogs.forEach((close) => close());
}

/**
 * A modal dialog (native <dialog>: focus trap, Escape to close). `content` is built by the
 * caller; `close()` on the returned object closes it. Resolves when it closes.
 */
export function dialog(title, build) {
  const titleId = uid("dlg");
  const closeButton = button("×", () => close(), { kind: "ghost", "aria-label": t("common.close"), class: "btn btn-ghost dialog-close" });
  const body = h("div", { class: "dialog-body" });
  const element = h("dialog", { class: "dialog", "aria-labelledby": titleId },
    h("header", { class: "dialog-header" }, h("h2", { id: titleId }, title), closeButton), body);
  let resolve;
  const done = new Promise((r) => { resolve = r; });
  const opener = document.activeElement;
  function close(result) {
    if (element.open) element.close();
    element.remove();
    openDialogs.delete(close);
    // Back to the control that opened it, if it is still on the page.
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    resolve(result);
  }
  openDialogs.add(close);
  element.addEventListener("cancel", (event) => { event.preventDefault(); close(); });
  body.append(build({ close }));
  document.body.append(element);
  element.showModal();
  return { close, done, element };
}

/** Asks a yes/no question; resolves true on confirm. */
export function confirm(message, { confirmLabel, danger = true } = {}) {
  const { done } = dialog(t("common.confirm"), ({ close }) => h("div", {},
    h("p", {}, message),
    h("div", { class: "form-actions" },
      button(t("common.cancel"), () => close(false)),
      button(confirmLabel ?? t("common.confirm"), () => close(true), { kind: danger ? "danger" : "primary" }))));
  return done.then((answer) => answer === true);
}

/** A short message in the corner, read out by screen readers. */
export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  const item = h("div", { class: `toast toast-${kind}` }, message);
  region.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 8000 : 4000);
}

/** Toasts the outcome of a write: `success`, or that it was saved but some changes failed to apply. */
export function reportWrite(result, success = t("common.saved")) {
  if (result?.failures?.length) {
    toast(t("common.notApplied", { failures: result.failures.join("; ") }), "error");
  } else if (success) {
    toast(success, "ok");
  }
}

/** Runs `action`, then toasts success or the error. */
export async function attempt(action, success) {
  try {
    const result = await action();
    if (success) toast(success, "ok");
    return result;
  } catch (error) {
    toast(errorMessage(error), "error");
    return undefined;
  }
}

/**
 * A table. columns: [{label, cell(row) → node|string, class?}]; `caption` names it for screen
 * readers. An empty list shows `empty`.
 */
export function table({ caption, columns, rows, empty, rowAttrs }) {
  if (!rows.length) return h("p", { class: "empty" }, empty ?? t("common.empty"));
  return h("div", { class: "table-wrap" }, h("table", { class: "table" },
    h("caption", { class: caption?.visible ? "" : "sr-only" }, caption?.text ?? caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.class }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", rowAttrs ? rowAttrs(row) : {},
      columns.map((c) => h("td", { class: c.class, "data-label": c.label }, c.cell(row))))))));
}

/** Tabs (WAI-ARIA tabs pattern, arrow keys move between them). items: [{id, label, render(panel)}]. */
export function tabs(items, { selected, onSelect, label } = {}) {
  const list = h("div", { role: "tablist", class: "tabs", "aria-label": label });
  const panel = h("div", { role: "tabpanel", class: "tab-panel", tabindex: "0" });
  const buttons = items.map((item) => h("button", {
    role: "tab", type: "button", id: `tab-${item.id}`, "aria-controls": "tabpanel", class: "tab",
    onclick: () => select(item.id), onkeydown: (event) => {
      const index = items.indexOf(item);
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step) {
        const next = items[(index + step + items.length) % items.length];
        select(next.id);
        buttons[items.indexOf(next)].focus();
      }
    },
  }, item.label));
  panel.id = "tabpanel";
  list.append(...buttons);
  function select(id) {
    items.forEach((item, i) => {
      const on = item.id === id;
      buttons[i].setAttribute("aria-selected", String(on));
      buttons[i].tabIndex = on ? 0 : -1;
    });
    panel.setAttribute("aria-labelledby", `tab-${id}`);
    panel.replaceChildren();
    items.find((item) => item.id === id).render(panel);
    onSelect?.(id);
  }
  select(selected && items.some((i) => i.id === selected) ? selected : items[0].id);
  return h("div", { class: "tabs-wrap" }, list, panel);
}

/** A status pill: running / stopped / error, with its words. */
export function badge(text, kind = "neutral") {
  return h("span", { class: `badge badge-${kind}` }, text);
}

/**
 * Copies text. navigator.clipboard exists only in a secure context; on plain HTTP the old
 * selection-and-execCommand path still works.
 */
export async function copyText(text) {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      toast(t("common.copied"), "ok");
      return;
    } catch { /* fall through to the selection path */ }
  }
  const area = h("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  toast(ok ? t("common.copied") : t("common.copyFailed"), ok ? "ok" : "error");
}

/** Saves a Blob or text as a file (works without a secure context). */
export function download(filename, content, type = "text/plain") {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, class: "offscreen" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A page heading with optional actions at its right. */
export function pageHeader(title, ...actions) {
  return h("div", { class: "page-header" }, h("h1", {}, title), h("div", { class: "page-actions" }, actions));
}

/** A loading line, replaced by the page once its data is in. */
export function loading() {
  return h("p", { class: "loading", role: "status" }, t("common.loading"));
}
