// Element builders: every page builds its DOM through these, never through innerHTML, so data
// from the API is always text, and nothing needs an inline style or script (the CSP forbids both).

const SVG_NS = "http://www.w3.org/2000/svg";
const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "indeterminate", "open"]);

function apply(element, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "style" && typeof value === "object") {
      Object.assign(element.style, value); // CSSOM, which the CSP allows
    } else if (key === "dataset") {
      Object.assign(element.dataset, value);
    } else if (key === "ref" && typeof value === "function") {
      value(element);
    } else if (PROPERTIES.has(key)) {
      element[key] = value;
    } else {
      element.setAttribute(key === "className" ? "class" : key, value === true ? "" : String(value));
    }
  }
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * An HTML element. `attrs`: attributes; `onclick`-style keys take listeners; `value`, `checked`
 * and the like are set as properties; `style` takes an object.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children strings, nodes, arrays of them; null and false are skipped
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  apply(element, attrs);
  append(element, children);
  return element;
}

/** An SVG element, with the same conventions as {@link h}. */
export function s(tag, attrs, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, attrs);
  append(element, children);
  return element;
}

/** Replaces the children of `element`. */
export function mount(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let counter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = "id") {
  counter += 1;
  return `${prefix}-${counter}`;
}
