// Strings: one dictionary per language (i18n/en.js, i18n/zh.js), keys like "users.title".
// The choice is remembered in localStorage; the first visit follows the browser's language.

import en from "./i18n/en.js";
import zh from "./i18n/zh.js";

const LANG_KEY = "hy2scale.lang";
export const languages = [
  { code: "en", label: "English", htmlLang: "en" },
  { code: "zh", label: "中文", htmlLang: "zh-CN" },
];
const dictionaries = { en, zh };
const changeListeners = [];

function initial() {
  const stored = localStorage.getItem(LANG_KEY);
  if (stored && dictionaries[stored]) return stored;
  return (navigator.language ?? "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

let current = initial();
document.documentElement.lang = languages.find((l) => l.code === current).htmlLang;

export function language() { return current; }

export function setLanguage(code) {
  if (!dictionaries[code] || code === current) return;
  current = code;
  localStorage.setItem(LANG_KEY, code);
  document.documentElement.lang = languages.find((l) => l.code === code).htmlLang;
  changeListeners.forEach((fn) => fn());
}

export function onLanguageChange(fn) { changeListeners.push(fn); }

/**
 * The string for `key` in the current language (English when missing there), with `{name}`
 * placeholders replaced from `vars`.
 */
export function t(key, vars) {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}
