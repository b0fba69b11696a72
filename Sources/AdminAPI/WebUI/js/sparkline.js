// A small line chart of the last samples of one or more series, drawn as SVG paths. It is
// decorative (aria-hidden): the figure it follows is always shown as text next to it.

import { s } from "./dom.js";

/**
 * @param {{series?: number, size?: number, fromZero?: boolean}} options `fromZero: false` scales
 *   between the window's minimum and maximum (for running totals).
 * @returns {{element: SVGSVGElement, push: (...values: number[]) => void}}
 */
export function sparkline({ series = 1, size = 60, fromZero = true } = {}) {
  const paths = Array.from({ length: series }, (_, i) => s("path", { class: `series-${i}` }));
  const samples = paths.map(() => []);
  const element = s("svg", { class: "sparkline", viewBox: "0 0 100 30", preserveAspectRatio: "none",
    "aria-hidden": "true", focusable: "false" }, paths);

  function push(...values) {
    values.forEach((value, i) => {
      samples[i].push(Number(value) || 0);
      if (samples[i].length > size) samples[i].shift();
    });
    const all = samples.flat();
    const low = fromZero ? 0 : Math.min(...all);
    const span = Math.max(...all) - low || 1;
    samples.forEach((points, i) => {
      // The newest sample sits at the right edge; older ones move left.
      const x = (j) => (100 - ((points.length - 1 - j) * 100) / (size - 1)).toFixed(1);
      const d = points.map((v, j) => `${j ? "L" : "M"}${x(j)} ${(28 - ((v - low) / span) * 26).toFixed(1)}`);
      paths[i].setAttribute("d", d.join(""));
    });
  }
  return { element, push };
}
