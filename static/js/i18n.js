// Client-side translations: the server renders the current locale's strings into
// <script type="application/json" id="i18n">, so the browser never loads a catalog of its own.

let table = null;

function strings() {
  if (table === null) {
    const el = document.getElementById("i18n");
    try {
      table = el ? JSON.parse(el.textContent || "{}") : {};
    } catch {
      table = {};
    }
  }
  return table;
}

/** Translate `key`, substituting %(name)s placeholders from `params`. */
export function t(key, params = {}) {
  const template = strings()[key] ?? key;
  return template.replace(/%\((\w+)\)[sd]/g, (match, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match);
}

/** Plural-aware translation: picks `key.one` for 1 and `key.other` otherwise (English, Swedish). */
export function tn(key, n, params = {}) {
  return t(n === 1 ? `${key}.one` : `${key}.other`, { n: formatNumber(n), ...params });
}

export const locale = document.documentElement.lang || "en";

export function formatNumber(n) {
  try {
    return new Intl.NumberFormat(locale).format(n);
  } catch {
    return String(n);
  }
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(date);
  } catch {
    return date.toISOString().slice(11, 16);
  }
}
