// The config page: the YAML file itself in a plain textarea with a line-number gutter, checked
// as it is typed, reviewed (plan and line diff) before it is saved with the revision it was
// loaded at, so an edit made over a newer file is refused (409) instead of overwriting it.

import { h, mount, uid } from "../dom.js";
import { request, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { button, pageHeader, loading, errorMessage, toast, copyText, download, confirm } from "../ui.js";
import { lineDiff, hunks } from "../linediff.js";

const YAML = { "Content-Type": "application/yaml" };
const DEBOUNCE_MS = 400;
/** An unsaved edit kept when the page is left (sidebar, language switch, an expired session),
 * with the revision it was made against, so coming back restores it and Save still checks it. */
let draft = null;

/** POSTs the text to a config endpoint (validate, plan); no If-Match, these change nothing. */
async function postText(path, text) {
  return (await request(path, { method: "POST", body: text, headers: YAML, ifMatch: false })).data;
}

/** The 1-based line and column of a problem; strings like `config.yaml:12:3: …` are parsed. */
function diagnosticsFromProblems(problems) {
  return problems.map((p) => {
    const match = /:(\d+):(\d+): (.*)$/.exec(p);
    return match ? { line: +match[1], column: +match[2], message: match[3], severity: "error" }
      : { line: 0, column: 0, message: p, severity: "error" };
  });
}

export default {
  async render(main) {
    mount(main, pageHeader(t("config.title")), loading());
    let loaded;
    try {
      loaded = await request("config", { expect: "text" });
    } catch (error) {
      mount(main, pageHeader(t("config.title")), h("p", { class: "form-error", role: "alert" }, errorMessage(error)));
      return undefined;
    }
    let original = loaded.data;
    let revision = loaded.revision ?? "";
    let diagnostics = [];
    let timer = null;
    let sequence = 0;
    let gutterLines = -1;

    const editorId = uid("config-text");
    const statusId = uid("config-status");
    const gutter = h("div", { class: "editor-gutter", "aria-hidden": "true" });
    const text = h("textarea", {
      id: editorId, spellcheck: "false", autocomplete: "off", autocapitalize: "off", wrap: "off",
      "aria-describedby": statusId,
      oninput: () => { renderGutter(); markDirty(); schedule(); },
      onscroll: () => { gutter.scrollTop = text.scrollTop; },
      onkeydown: (event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") { event.preventDefault(); save(); }
      },
    });
    text.value = original;
    const restored = draft;
    draft = null;
    if (restored) {
      text.value = restored.text;
      revision = restored.revision;
    }
    const status = h("p", { id: statusId, class: "config-status", role: "status" });
    const problemList = h("ul", { class: "diagnostics", "aria-label": t("config.problems") });
    const conflict = h("div", { class: "config-conflict", role: "alert" });
    // Named by its heading: "Plan" after a review, "Saved" after a save.
    const reviewHeading = uid("config-review");
    const review = h("section", { class: "config-review" });
    const heading = (text) => {
      review.setAttribute("aria-labelledby", reviewHeading); // an empty, unnamed section may not have it
      return h("h2", { id: reviewHeading, tabindex: "-1" }, text);
    };
    const reviewButton = button(t("config.review"), () => runReview());
    const saveButton = button(t("common.save"), () => save(), { kind: "primary" });

    function lineCount() {
      let count = 1;
      for (let i = text.value.indexOf("\n"); i !== -1; i = text.value.indexOf("\n", i + 1)) count += 1;
      return count;
    }

    // Rebuilt only when the line count or the problems change, not on every key.
    function renderGutter(force = false) {
      const count = lineCount();
      if (!force && count === gutterLines) return;
      gutterLines = count;
      const bad = new Map();
      for (const d of diagnostics) {
        if (d.line > 0 && bad.get(d.line) !== "error") bad.set(d.line, d.severity === "error" ? "error" : "notice");
      }
      const lines = [];
      for (let n = 1; n <= count; n++) {
        const kind = bad.get(n);
        lines.push(kind ? h("div", { class: kind === "error" ? "bad" : "bad notice" }, `! ${n}`) : h("div", {}, String(n)));
      }
      gutter.replaceChildren(...lines);
      gutter.scrollTop = text.scrollTop;
    }

    function dirty() { return text.value !== original; }

    function markDirty() {
      window.removeEventListener("beforeunload", guard);
      if (dirty()) window.addEventListener("beforeunload", guard);
    }

    function guard(event) { event.preventDefault(); event.returnValue = ""; }

    /** Moves the caret to a line and column and scrolls it into the middle of the view. */
    function goTo(line, column) {
      const lines = text.value.split("\n");
      const target = Math.min(Math.max(line, 1), lines.length);
      let offset = 0;
      for (let i = 0; i < target - 1; i++) offset += lines[i].length + 1;
      offset += Math.min(Math.max((column || 1) - 1, 0), lines[target - 1].length);
      text.focus();
      text.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 20;
      text.scrollTop = Math.max(0, (target - 1) * lineHeight - text.clientHeight / 3);
      gutter.scrollTop = text.scrollTop;
    }

    function showDiagnostics(list) {
      diagnostics = list;
      renderGutter(true);
      const errors = list.filter((d) => d.severity === "error").length;
      status.textContent = [
        list.length ? t("config.problemCount", { errors, notices: list.length - errors }) : t("config.valid"),
        dirty() ? t("config.unsaved") : "",
      ].filter(Boolean).join(" · ");
      problemList.replaceChildren(...list.map((d) => h("li", { class: d.severity === "error" ? "" : "notice" },
        h("button", { type: "button", class: "btn-link", onclick: () => goTo(d.line, d.column) },
          d.line > 0 ? t("config.at", { line: d.line, column: d.column || 1 }) : "",
          `${d.severity === "error" ? t("config.error") : t("config.notice")}: ${d.message}`,
          d.path ? ` (${d.path})` : ""))));
    }

    async function validate() {
      clearTimeout(timer);
      const mine = ++sequence;
      try {
        const answer = await postText("config/validate", text.value);
        if (mine === sequence) showDiagnostics(answer.diagnostics ?? []);
      } catch (error) {
        if (mine === sequence) status.textContent = errorMessage(error);
      }
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(validate, DEBOUNCE_MS);
    }

    function diffView() {
      const { ops, coarse } = lineDiff(original, text.value);
      const groups = hunks(ops);
      if (!groups.length) return h("p", { class: "muted" }, t("config.noDiff"));
      const mark = { "+": "add", "-": "del", " ": "" };
      return [
        coarse ? h("p", { class: "muted" }, t("config.coarse")) : null,
        h("pre", { class: "diff", tabindex: "0", "aria-label": t("config.diff") }, groups.map((group, index) => [
          index ? h("span", { class: "diff-gap" }, "…") : null,
          group.map((o) => h("span", { class: mark[o.op] },
            `${String(o.op === "-" ? o.a : o.b).padStart(4)} ${o.op} ${o.text}`)),
        ])),
      ];
    }

    async function runReview() {
      reviewButton.disabled = true;
      clearTimeout(timer);
      try {
        const answer = await postText("config/plan", text.value);
        showDiagnostics(answer.diagnostics ?? []);
        const plan = answer.plan ?? [];
        const sign = (line) => ({ "+": "add", "-": "del", "~": "mod" })[line.trim()[0]] ?? "";
        mount(review,
          heading(t("config.plan")),
          answer.revision && revision && answer.revision !== revision
            ? h("p", { class: "badge-warn config-note" }, t("config.changedOnDisk")) : null,
          answer.valid === false ? h("p", { class: "form-error" }, t("config.invalid")) : null,
          plan.length
            ? h("ul", { class: "plan" }, plan.map((step) => h("li", { class: sign(step.change) },
              h("span", { class: "plan-kind" }, step.kind), " ", h("code", {}, step.change))))
            : h("p", { class: "muted" }, t("config.noPlan")),
          answer.failures?.length ? [h("h3", {}, t("config.unreadable")),
            h("ul", { class: "plan" }, answer.failures.map((f) => h("li", {}, `${f.kind}: ${f.change}`)))] : null,
          h("h2", {}, t("config.diff")),
          diffView());
        review.querySelector("h2").focus();
      } catch (error) {
        mount(review, heading(t("config.plan")), h("p", { class: "form-error", role: "alert" }, errorMessage(error)));
      } finally {
        reviewButton.disabled = false;
      }
    }

    function showConflict() {
      mount(conflict,
        h("p", {}, t("common.conflict")),
        h("p", { class: "muted" }, t("config.conflictHelp")),
        h("div", { class: "btn-row" },
          button(t("config.copyMine"), () => copyText(text.value)),
          button(t("common.reload"), () => reload(false), { kind: "primary" })));
    }

    async function save() {
      if (!dirty()) { toast(t("config.nothingToSave")); return; }
      saveButton.disabled = true;
      conflict.replaceChildren();
      try {
        const { data } = await request("config", {
          method: "PUT", body: text.value, headers: { ...YAML, ...(revision ? { "If-Match": `"${revision}"` } : {}) },
        });
        original = text.value;
        revision = data.revision ?? revision;
        markDirty();
        const failures = data.failures ?? [];
        toast(failures.length ? t("common.notApplied", { failures: failures.join("; ") }) : t("common.saved"),
          failures.length ? "error" : "ok");
        mount(review,
          heading(t("config.saved")),
          data.changes?.length
            ? h("ul", { class: "plan" }, data.changes.map((c) => h("li", {}, h("code", {}, c))))
            : h("p", { class: "muted" }, t("config.noChanges")),
          failures.length ? [h("h3", {}, t("config.failures")),
            h("ul", { class: "plan" }, failures.map((f) => h("li", { class: "del" }, h("code", {}, f))))] : null);
        validate();
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) showConflict();
        else if (error instanceof ApiError && error.status === 422) {
          mount(conflict, h("p", {}, t("config.refused")),
            h("ul", {}, (error.problems.length ? error.problems : [error.message]).map((p) => h("li", {}, p))));
          showDiagnostics(diagnosticsFromProblems(error.problems));
          validate();
        } else toast(errorMessage(error), "error");
      } finally {
        saveButton.disabled = false;
      }
    }

    /** Loads the file from disk again; the edit is lost (the conflict box offers to copy it first). */
    async function reload(ask) {
      if (ask && dirty() && !(await confirm(t("config.discardConfirm"), { confirmLabel: t("config.discard") }))) return;
      try {
        const fresh = await request("config", { expect: "text" });
        original = fresh.data;
        revision = fresh.revision ?? "";
        text.value = original;
        conflict.replaceChildren();
        review.replaceChildren();
        review.removeAttribute("aria-labelledby");
        markDirty();
        renderGutter(true);
        validate();
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    }

    mount(main,
      pageHeader(t("config.title"),
        button(t("common.download"), () => download("config.yaml", text.value, "application/yaml"))),
      h("p", { class: "muted" }, t("config.intro")),
      h("label", { for: editorId, class: "config-label" }, t("config.editor")),
      h("div", { class: "editor" }, gutter, text),
      status,
      problemList,
      conflict,
      h("div", { class: "btn-row config-actions" }, reviewButton, saveButton,
        button(t("config.discard"), () => reload(true), { kind: "ghost" })),
      review);
    renderGutter(true);
    validate();
    if (restored) { markDirty(); toast(t("config.draftRestored")); }
    return () => {
      draft = dirty() ? { text: text.value, revision } : null;
      clearTimeout(timer);
      sequence += 1;
      window.removeEventListener("beforeunload", guard);
    };
  },
};
