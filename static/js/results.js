// Result bars shared by the phone, the console and the projector. Widths are set through the
// CSSOM (element.style), which a strict style-src CSP allows, unlike style attributes in markup.

import { h } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";

export function rankLabel(entry) {
  return entry.tied ? `=${entry.rank}` : String(entry.rank);
}

/** An ordered list of result bars; `limit` keeps only the first N entries by rank. */
export function resultBars(results, { limit = 0, perspectives = null } = {}) {
  const entries = (results && results.entries ? results.entries.slice() : [])
    .sort((a, b) => (a.rank - b.rank));
  const shown = limit ? entries.slice(0, limit) : entries;
  const top = Math.max(1, ...entries.map((entry) => entry.score));
  if (!shown.length) return h("p", { class: "muted", text: t("results.empty") });
  return h("ol", { class: "result-bars" }, shown.map((entry) => {
    const fill = h("span", { class: "result-fill" });
    fill.style.width = `${Math.round((entry.score / top) * 100)}%`;
    const spoken = entry.tied
      ? t("results.rank_tied", { rank: entry.rank })
      : t("results.rank", { rank: entry.rank });
    return h("li", { class: `result${entry.rank === 1 ? " result-first" : ""}` },
      h("span", { class: "result-rank", "aria-hidden": "true", text: rankLabel(entry) }),
      h("span", { class: "visually-hidden", text: `${spoken}: ` }),
      h("span", { class: "result-name", text: entry.name }),
      h("span", { class: "result-bar", "aria-hidden": "true" }, fill),
      h("span", { class: "result-score" },
        tn("results.dots", entry.score),
        h("span", { class: "result-voters" }, " · ", tn("results.voters", entry.voters))),
      perspectives ? splitByPerspective(entry, perspectives) : null);
  }));
}

function splitByPerspective(entry, perspectives) {
  const parts = Object.entries(entry.by_perspective || {}).filter(([, dots]) => dots > 0);
  if (!parts.length) return null;
  const names = new Map(perspectives.map((p) => [p.key, p.name]));
  return h("span", { class: "result-split" }, parts
    .sort((a, b) => b[1] - a[1])
    .map(([key, dots]) => `${names.get(key) || t("perspective.unknown")} ${formatNumber(dots)}`)
    .join(" · "));
}

/** "5 of 12 have voted" with a progress bar. */
export function turnoutLine(turnout) {
  const voted = turnout ? turnout.voted : 0;
  const total = turnout ? turnout.participants : 0;
  const bar = h("span", { class: "turnout-fill" });
  bar.style.width = `${total ? Math.round((voted / total) * 100) : 0}%`;
  return h("div", { class: "turnout" },
    h("p", { class: "turnout-text", text: t("turnout.text", { voted: formatNumber(voted), total: formatNumber(total) }) }),
    h("span", { class: "turnout-bar", "aria-hidden": "true" }, bar));
}
