// A line diff for the config editor: the common head and tail are trimmed, the middle is
// compared by longest common subsequence. The LCS table is capped so a huge edit cannot hang
// the page; past the cap the middle is shown as removed then added.

const MAX_CELLS = 4_000_000;

/**
 * The lines of `before` and `after` as operations: {op: " " | "-" | "+", text, a, b}, where a and
 * b are the 1-based line numbers in each text (0 where the line is absent). `coarse` is true when
 * the cap was hit.
 */
export function lineDiff(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const ops = [];
  const same = (i, j) => ops.push({ op: " ", text: a[i], a: i + 1, b: j + 1 });
  for (let i = 0; i < head; i++) same(i, i);
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  let coarse = false;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    coarse = true;
    for (let i = 0; i < n; i++) ops.push({ op: "-", text: a[head + i], a: head + i + 1, b: 0 });
    for (let j = 0; j < m; j++) ops.push({ op: "+", text: b[head + j], a: 0, b: head + j + 1 });
  } else {
    // table[i][j]: LCS length of a[head+i..] and b[head+j..]; fits 16 bits since min(n, m) < 2000.
    const width = m + 1;
    const table = new Uint16Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] = a[head + i] === b[head + j]
          ? table[(i + 1) * width + j + 1] + 1
          : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] === b[head + j]) { same(head + i, head + j); i += 1; j += 1; }
      else if (i < n && (j === m || table[(i + 1) * width + j] >= table[i * width + j + 1])) {
        ops.push({ op: "-", text: a[head + i], a: head + i + 1, b: 0 }); i += 1;
      } else { ops.push({ op: "+", text: b[head + j], a: 0, b: head + j + 1 }); j += 1; }
    }
  }
  for (let k = 0; k < tail; k++) same(a.length - tail + k, b.length - tail + k);
  return { ops, coarse };
}

/** The changed operations with `context` unchanged lines around them, as hunks (arrays of ops). */
export function hunks(ops, context = 3) {
  const keep = new Uint8Array(ops.length);
  ops.forEach((o, index) => {
    if (o.op === " ") return;
    for (let k = Math.max(0, index - context); k <= Math.min(ops.length - 1, index + context); k++) keep[k] = 1;
  });
  const result = [];
  let current = null;
  ops.forEach((o, index) => {
    if (!keep[index]) { current = null; return; }
    if (!current) { current = []; result.push(current); }
    current.push(o);
  });
  return result;
}
