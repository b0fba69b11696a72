// The REST API client: the bearer token, the config revision for If-Match, the JSON error shape.
// URLs are relative to the page, so the UI works under any `ui_base_path`.

const TOKEN_KEY = "hy2scale.token";
const USER_KEY = "hy2scale.username";

/** An error answer: `{error, field, problems}` with its HTTP status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.field = body?.field ?? null;
    this.problems = body?.problems ?? [];
  }
}

let revision = null;
const listeners = { unauthorized: [], mustChange: [] };

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  },
  /** The name this browser last logged in with (to log in again after a password change). */
  get username() { return localStorage.getItem(USER_KEY); },
  set username(value) {
    if (value) localStorage.setItem(USER_KEY, value);
    else localStorage.removeItem(USER_KEY);
  },
  /** Called when the server no longer knows the token (expired, logged out elsewhere). */
  onUnauthorized(fn) { listeners.unauthorized.push(fn); },
  /** Called when the server demands the initial password be changed first. */
  onMustChangePassword(fn) { listeners.mustChange.push(fn); },
};

/** The config revision this page last read; edits send it as `If-Match`. */
export function configRevision() { return revision; }
/** Forgets the revision, so the next edit is not checked (after the user chose to overwrite). */
export function forgetRevision() { revision = null; }

export function apiURL(path) {
  return new URL(`api/${path}`, document.baseURI).toString();
}

/**
 * One call. `json` is sent as the JSON body, `body` as is. Mutations send the last revision read
 * as `If-Match` unless `ifMatch: false`, so an edit made after the file changed underneath gets 409.
 * @returns {Promise<{status: number, data: any, etag: string|null, revision: string|null, response: Response}>}
 */
export async function request(path, { method = "GET", json, body, headers = {}, ifMatch = true, expect = "auto" } = {}) {
  const sent = { ...headers };
  const token = session.token;
  if (token) sent.Authorization = `Bearer ${token}`;
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  if (method !== "GET" && ifMatch && revision && !sent["If-Match"]) sent["If-Match"] = `"${revision}"`;
  const init = { method, headers: sent, cache: "no-store" };
  if (method !== "GET" && method !== "HEAD") init.body = body;
  let response;
  try {
    response = await fetch(apiURL(path), init);
  } catch (error) {
    throw new ApiError(0, { error: `the node did not answer (${error.message})` });
  }
  const type = response.headers.get("Content-Type") ?? "";
  const etag = response.headers.get("ETag");
  if (!response.ok) {
    const errorBody = type.includes("json") ? await response.json().catch(() => null) : { error: await response.text() };
    if (response.status === 401 && path !== "login") listeners.unauthorized.forEach((fn) => fn());
    if (response.status === 403 && /initial admin password/.test(errorBody?.error ?? "")) {
      listeners.mustChange.forEach((fn) => fn());
    }
    throw new ApiError(response.status, errorBody);
  }
  let data;
  if (expect === "blob") data = await response.blob();
  else if (expect === "text" || !type.includes("json")) data = await response.text();
  else data = await response.json();
  const tag = etag ? etag.replace(/^W\//, "").replace(/"/g, "") : null;
  if (method === "GET" && tag) revision = tag;
  if (method !== "GET" && data && typeof data.revision === "string") revision = data.revision;
  return { status: response.status, data, etag, revision: tag, response };
}

export const api = {
  get: async (path, options) => (await request(path, options)).data,
  post: async (path, json, options) => (await request(path, { ...options, method: "POST", json })).data,
  put: async (path, json, options) => (await request(path, { ...options, method: "PUT", json })).data,
  del: async (path, options) => (await request(path, { ...options, method: "DELETE" })).data,
};

/**
 * Uploads a form with progress (fetch has no upload progress).
 * @param {(fraction: number) => void} onProgress
 */
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiURL(path));
    const token = session.token;
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = { error: xhr.responseText }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, { error: "the upload was interrupted" })));
    xhr.send(formData);
  });
}

/**
 * An event stream (`text/event-stream`); browsers cannot send headers on these, so the token goes
 * in the query, which the API accepts on streams only. Returns a function that closes it.
 */
export function eventStream(path, onMessage) {
  const url = new URL(apiURL(path));
  if (session.token) url.searchParams.set("token", session.token);
  const source = new EventSource(url);
  source.addEventListener("message", (event) => {
    try { onMessage(JSON.parse(event.data)); } catch { /* a malformed event is skipped */ }
  });
  return () => source.close();
}
