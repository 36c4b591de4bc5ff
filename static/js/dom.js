// Tiny DOM helpers. User text only ever goes through textContent or attribute values:
// nothing here parses HTML, so a contribution can never become markup.

const PROPS = new Set(["value", "checked", "selected", "indeterminate"]);

/**
 * h("button", {class: "btn", onclick: fn, "aria-label": "..."}, "text", child, [more])
 * Attributes with null/undefined/false values are skipped; true gives an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (PROPS.has(name)) el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/**
 * Replace the children of `container`, keeping keyboard focus (and a half-typed value)
 * on the element with the same data-key, so live updates never steal the user's place.
 */
export function swap(container, ...nodes) {
  const active = document.activeElement;
  const key = active && active !== document.body && container.contains(active) ? active.dataset.key : null;
  const hadFocus = active && container.contains(active);
  let value = null;
  let range = null;
  if (key && (active.tagName === "INPUT" || active.tagName === "TEXTAREA")) {
    value = active.value;
    try {
      range = [active.selectionStart, active.selectionEnd];
    } catch {
      range = null;
    }
  }
  const fragment = document.createDocumentFragment();
  append(fragment, nodes);
  container.replaceChildren(fragment);
  if (!hadFocus) return;
  const next = key ? container.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
  if (next) {
    if (value !== null) next.value = value;
    next.focus({ preventScroll: true });
    if (range && typeof next.setSelectionRange === "function") {
      try {
        next.setSelectionRange(range[0], range[1]);
      } catch { /* not a text field */ }
    }
  } else {
    const scope = container.closest("section") || container;
    const fallback = scope.querySelector("h2, h3") || container.closest("[tabindex='-1']");
    if (fallback) {
      if (!fallback.hasAttribute("tabindex")) fallback.setAttribute("tabindex", "-1");
      fallback.focus({ preventScroll: true });
    }
  }
}

/** Say `message` through an aria-live region; repeating the same text is announced again. */
export function announce(region, message) {
  if (!region || !message) return;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = message;
  }, 60);
}

/** Coalesce many state changes into one render per animation frame. */
export function scheduler(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

/** A character counter for a textarea/input with maxlength, linked with aria-describedby. */
export function counter(field, output) {
  const max = Number(field.getAttribute("maxlength")) || 0;
  const update = () => {
    const used = field.value.length;
    output.textContent = `${used} / ${max}`;
    output.classList.toggle("counter-near", max > 0 && max - used <= 20);
  };
  field.addEventListener("input", update);
  update();
  return update;
}

/** A stable id for an idempotent submission, with a fallback for old browsers. */
export function uuid() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A status badge: kind is "sending", "saved", "failed", "pending" or "dirty". */
export function badge(kind, label) {
  const mark = kind === "saved" ? "✓ " : kind === "failed" ? "! " : "";
  return h("span", { class: `badge badge-${kind}` },
    mark ? h("span", { "aria-hidden": "true" }, mark) : null, label);
}

/**
 * Announce arrivals without flooding a screen reader: arrivals within `wait` ms are said once,
 * as `one(item)` for a single arrival or `many(n)` for several, leaving out any that
 * `stillNews(item)` no longer holds for. `cancel()` drops what is waiting, so news of a phase
 * change is not talked over by items from the phase before.
 */
export function arrivals(say, one, many, wait = 1500, stillNews = () => true) {
  let queue = [];
  let timer = 0;
  const arrived = (item) => {
    queue.push(item);
    if (timer) return;
    timer = window.setTimeout(() => {
      // An item taken away meanwhile (hidden, withdrawn) is no longer news: saying it after the
      // facilitator's own "The item is hidden" would contradict what they just heard.
      const batch = queue.filter(stillNews);
      queue = [];
      timer = 0;
      if (batch.length) say(batch.length === 1 ? one(batch[0]) : many(batch.length));
    }, wait);
  };
  arrived.cancel = () => {
    window.clearTimeout(timer);
    timer = 0;
    queue = [];
  };
  return arrived;
}
