// Reloads the page when the node serves another build (after an upgrade), so an old UI never runs
// against a new API. The build the page was loaded with is the first one read.

import { api } from "./api.js";

let loaded = null;

async function check() {
  try {
    const current = (await api.get("build-id")).build_id;
    if (loaded && current !== loaded) location.reload();
    loaded ??= current;
  } catch { /* the node is restarting; the next check tries again */ }
}

/** Checks now and every `ms` until the returned function is called. */
export function watchBuild(ms) {
  check();
  const timer = setInterval(check, ms);
  return () => clearInterval(timer);
}
