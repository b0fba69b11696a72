// Numbers and dates for people.

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** 1536 → "1.5 KB" (powers of 1024). */
export function bytes(value) {
  let n = Number(value) || 0;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) { n /= 1024; unit += 1; }
  return `${n >= 100 || unit === 0 ? Math.round(n) : n.toFixed(1)} ${UNITS[unit]}`;
}

/** Bytes per second → "12.3 Mbit/s". */
export function rate(bytesPerSecond) {
  const bits = (Number(bytesPerSecond) || 0) * 8;
  const units = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s"];
  let n = bits;
  let unit = 0;
  while (n >= 1000 && unit < units.length - 1) { n /= 1000; unit += 1; }
  return `${n >= 100 || unit === 0 ? Math.round(n) : n.toFixed(1)} ${units[unit]}`;
}

/** An RFC 3339 or date string → the user's local date and time; "" for none. */
export function dateTime(value) {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Milliseconds → "12 ms". */
export function latency(ms) {
  return ms === undefined || ms === null || ms < 0 ? "—" : `${Math.round(ms)} ms`;
}
