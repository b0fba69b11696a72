// The login and the forced change of the initial password. The password is hashed here
// (SHA-256) before it is sent, as the API expects.

import { h } from "../dom.js";
import { api, session, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { field, form } from "../ui.js";
import { sha256Hex } from "../sha256.js";

function card(title, languageSwitch, ...content) {
  return h("main", { class: "auth", id: "main" },
    h("div", { class: "auth-card" },
      h("div", { class: "auth-head" }, h("h1", {}, title), languageSwitch()),
      content));
}

export function loginPage({ languageSwitch, onDone }) {
  return card(t("login.title"), languageSwitch,
    h("p", { class: "muted" }, t("login.intro")),
    form({
      label: t("login.title"),
      submitLabel: t("login.submit"),
      fields: [
        field({ label: t("login.username"), name: "username", value: "admin", required: true, autocomplete: "username" }),
        field({ label: t("login.password"), name: "password", type: "password", required: true, autocomplete: "current-password" }),
      ],
      async onSubmit(values) {
        const answer = await api.post("login", { username: values.username, password: sha256Hex(values.password) });
        session.token = answer.token;
        session.username = values.username;
        onDone(answer.force_password_change);
      },
    }));
}

export function changePasswordPage({ languageSwitch, onDone }) {
  return card(t("password.title"), languageSwitch,
    h("p", { class: "muted" }, t("password.intro")),
    form({
      label: t("password.title"),
      submitLabel: t("password.submit"),
      fields: [
        field({ label: t("password.current"), name: "current_password", type: "password", required: true, autocomplete: "current-password" }),
        field({ label: t("password.new"), name: "new_password", type: "password", required: true, autocomplete: "new-password", help: t("password.rules") }),
        field({ label: t("password.repeat"), name: "repeat", type: "password", required: true, autocomplete: "new-password" }),
      ],
      async onSubmit(values) {
        await changePassword(values);
        onDone();
      },
    }));
}

/**
 * Changes the admin password and/or username (the forced change and the Settings page), then
 * logs in again with the new credentials, since the change ends every session.
 */
export async function changePassword(values) {
  const newName = (values.new_username ?? "").trim();
  const newPassword = values.new_password ?? "";
  if (newPassword || values.repeat || !newName) {
    if (newPassword.length < 8) throw new ApiError(400, { error: t("password.tooShort"), field: "new_password" });
    if (newPassword !== values.repeat) throw new ApiError(400, { error: t("password.mismatch"), field: "repeat" });
  }
  const current = sha256Hex(values.current_password);
  const body = { current_password: current };
  if (newPassword) body.new_password = sha256Hex(newPassword);
  if (newName) body.new_username = newName;
  const username = newName || session.username || "admin";
  await api.put("settings/password", body, { ifMatch: false });
  const answer = await api.post("login", { username, password: body.new_password ?? current });
  session.token = answer.token;
  session.username = username;
}
