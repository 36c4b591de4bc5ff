// A merged group is one contribution on every screen: it shows once, with how many times it was
// said and, where the screen may see perspectives (the console, or every screen in a named
// workshop), from which. The number is words in the text, never only a badge's colour, so a
// screen reader says it too. Items carry `mentions` and `perspectives` (see docs/realtime.md).

import { h } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";

function perspectiveName(state, key) {
  const found = key ? (state.perspectives || []).find((p) => p.key === key) : null;
  return found ? found.name : key || t("perspective.unknown");
}

/** "said 3 times · Buyer 2, Supplier 1", or "" for something said once. */
export function saidText(state, item) {
  const mentions = (item && item.mentions) || 1;
  if (mentions < 2) return "";
  const times = tn("said.times", mentions);
  const who = (item.perspectives || []).map((p) => `${perspectiveName(state, p.key)} ${formatNumber(p.count)}`);
  return who.length ? t("said.by", { times, perspectives: who.join(", ") }) : times;
}

/** The mark beside a merged group's text (nothing for an item said once). */
export function saidMark(state, item) {
  const text = saidText(state, item);
  return text ? h("span", { class: "marks" }, h("span", { class: "mark mark-said", text })) : null;
}
