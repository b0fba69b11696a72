// The application shell: hash routes, the login and forced password change, the layout
// (sidebar, header, capability banner), and the reload when the node's build changes.

import { h, mount } from "./dom.js";
import { closeDialogs } from "./ui.js";
import { watchBuild } from "./build.js";
import { api, session, ApiError } from "./api.js";
import { t, languages, language, setLanguage, onLanguageChange } from "./i18n.js";
import { loginPage, changePasswordPage } from "./pages/login.js";
import nodes from "./pages/nodes.js";
import users from "./pages/users.js";
import proxies from "./pages/proxies.js";
import rules from "./pages/rules.js";
import tlsPage from "./pages/tls.js";
import settings from "./pages/settings.js";
import configPage from "./pages/config.js";

/** The pages of the sidebar, in order. Each renders into the main area and may return a cleanup. */
const PAGES = [
  { path: "nodes", label: "nav.nodes", page: nodes },
  { path: "users", label: "nav.users", page: users },
  { path: "proxies", label: "nav.proxies", page: proxies },
  { path: "rules", label: "nav.rules", page: rules },
  { path: "tls", label: "nav.tls", page: tlsPage },
  { path: "settings", label: "nav.settings", page: settings },
  { path: "config", label: "nav.config", page: configPage },
];

const root = document.getElementById("app");
let cleanup = null;
let renders = 0; // the latest render; an older one still loading stands down

/** The route in the hash: `#/users?x=1` → {path: "users", query}. */
function currentRoute() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  return { path: path || "nodes", query: new URLSearchParams(query) };
}

export function navigate(path) {
  if (location.hash !== `#/${path}`) location.hash = `#/${path}`;
  else render();
}

function languageSwitch() {
  const select = h("select", { "aria-label": t("common.language"), class: "lang-select",
    onchange: (event) => setLanguage(event.target.value) },
  languages.map((l) => h("option", { value: l.code, selected: l.code === language() }, l.label)));
  return select;
}

async function logout() {
  try { await api.post("logout"); } catch { /* the session may already be gone */ }
  session.token = null;
  session.username = null;
  navigate("login");
}

function sidebar(active) {
  return h("nav", { class: "sidebar", id: "sidebar", "aria-label": t("nav.main") },
    h("ul", {}, PAGES.map((p) => h("li", {}, h("a", {
      href: `#/${p.path}`, class: "nav-link", "aria-current": p.path === active ? "page" : undefined,
    }, t(p.label))))),
    h("div", { class: "sidebar-foot" },
      languageSwitch(),
      h("button", { type: "button", class: "btn btn-ghost nav-logout", onclick: logout }, t("nav.logout"))));
}

/** Facts for the header and banner; each one missing is simply not shown. */
async function loadShellFacts() {
  const [node, info, status] = await Promise.allSettled([api.get("node"), api.get("build-info"), api.get("status")]);
  return {
    name: node.value?.name ?? "",
    version: info.value?.version ?? "",
    capabilities: status.value?.capabilities ?? [],
    failures: status.value?.failures ?? [],
    problems: status.value?.problems ?? [],
  };
}

function banner(facts) {
  const missing = facts.capabilities.filter((c) => !c.available);
  const lines = [
    ...missing.map((c) => t("banner.capability", { name: c.name, reason: c.reason })),
    ...facts.problems.map((p) => t("banner.problem", { problem: p })),
    ...facts.failures.map((f) => t("banner.failure", { failure: f })),
  ];
  if (!lines.length) return null;
  return h("div", { class: "banner", role: "region", "aria-label": t("banner.label") },
    h("ul", {}, lines.slice(0, 6).map((line) => h("li", {}, line))),
    lines.length > 6 ? h("p", {}, t("banner.more", { count: lines.length - 6 })) : null);
}

async function renderShell(active, ticket) {
  const facts = await loadShellFacts();
  if (ticket !== renders) return null;
  const main = h("main", { id: "main", class: "main", tabindex: "-1" });
  const menu = h("button", { type: "button", class: "btn btn-ghost menu-button", "aria-controls": "sidebar",
    "aria-expanded": "false", "aria-label": t("nav.menu"), onclick: () => {
      const open = document.body.classList.toggle("drawer-open");
      menu.setAttribute("aria-expanded", String(open));
    } }, "☰");
  const header = h("header", { class: "topbar" },
    menu,
    h("a", { href: "#/nodes", class: "brand" }, "hy2scale"),
    facts.name ? h("span", { class: "node-name", title: t("nav.nodeName") }, facts.name) : null,
    facts.version ? h("span", { class: "badge badge-neutral", title: t("nav.version") }, `v${facts.version}`) : null);
  mount(root,
    h("a", { href: "#main", class: "skip-link", onclick: (event) => { event.preventDefault(); main.focus(); } }, t("nav.skip")),
    header,
    h("div", { class: "layout" }, sidebar(active), h("div", { class: "content" }, banner(facts), main)));
  return main;
}

async function render() {
  const ticket = ++renders;
  if (typeof cleanup === "function") cleanup();
  cleanup = null;
  closeDialogs();
  // Focus follows the page: back to the language switch after a language change, else to the
  // new page's content (the control that had it is rebuilt).
  const refocusLanguage = document.activeElement?.classList?.contains("lang-select");
  const moveFocus = ticket > 1 && !refocusLanguage;
  document.body.classList.remove("drawer-open");
  const route = currentRoute();
  if (route.path === "login") {
    document.title = `${t("login.title")} · hy2scale`;
    mount(root, loginPage({ languageSwitch, onDone: (mustChange) => navigate(mustChange ? "change-password" : "nodes") }));
    return;
  }
  if (!session.token) { navigate("login"); return; }
  if (route.path === "change-password") {
    document.title = `${t("password.title")} · hy2scale`;
    mount(root, changePasswordPage({ languageSwitch, onDone: () => navigate("nodes") }));
    return;
  }
  const entry = PAGES.find((p) => p.path === route.path) ?? PAGES[0];
  document.title = `${t(entry.label)} · hy2scale`;
  let main;
  try {
    main = await renderShell(entry.path, ticket);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
    throw error;
  }
  if (!main) return;
  if (refocusLanguage) document.querySelector(".lang-select")?.focus();
  const stop = await entry.page.render(main, { query: route.query, refresh: render });
  // A page left while it was loading is stopped at once (its timers must not outlive it).
  if (ticket !== renders) { if (typeof stop === "function") stop(); return; }
  cleanup = stop;
  if (moveFocus && !main.contains(document.activeElement)) main.focus();
}

session.onUnauthorized(() => {
  session.token = null;
  if (currentRoute().path !== "login") navigate("login");
});
session.onMustChangePassword(() => navigate("change-password"));
onLanguageChange(() => render());
window.addEventListener("hashchange", () => render());

watchBuild(30000);

render();
