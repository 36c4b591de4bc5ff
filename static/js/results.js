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
        scoreText(results, entry),
        h("span", { class: "result-voters" }, " · ", tn("results.voters", entry.voters)),
        consensusText(entry),
        entry.paper ? h("span", { class: "result-paper" }, " · ", tn("results.paper", entry.paper)) : null),
      perspectives ? splitByPerspective(entry, perspectives) : null);
  }));
}

function scoreText(results, entry) {
  if (results.method === "ranking") return tn("results.points", entry.score);
  if (results.method === "matrix") {
    return t("results.matrix_score", { impact: formatNumber(entry.impact ?? 0), feasibility: formatNumber(entry.feasibility ?? 0) });
  }
  return tn("results.dots", entry.score);
}

/** Fewer voters than this behind an entry say nothing about how much the room agrees. */
export const MIN_VOTERS_FOR_CONSENSUS = 3;

function consensusText(entry) {
  if (!entry.consensus_label || !entry.voters) return null;
  if (entry.voters < MIN_VOTERS_FOR_CONSENSUS) {
    return h("span", { class: "result-consensus consensus-unknown" }, " · ", t("results.too_few"));
  }
  return h("span", { class: `result-consensus consensus-${entry.consensus_label}` }, " · ",
    t(`results.consensus.${entry.consensus_label}`));
}

/** The chart for a round's results: bars for dots and ranking, the 2x2 matrix and bars for the matrix. */
export function resultsChart(results, options = {}) {
  const parts = [];
  if (results && results.paper_voters) {
    parts.push(h("p", { class: "muted small", text: tn("results.paper_voters", results.paper_voters) }));
  }
  if (results && results.method === "matrix") parts.push(matrixChart(results, options));
  parts.push(resultBars(results, options));
  return h("div", { class: "results-chart" }, parts);
}

const QUADRANTS = [["plan", "do_first"], ["reconsider", "easy_win"]]; // rows: high impact first

/**
 * The 2x2 impact/feasibility matrix: feasibility across, impact up, each entry a numbered mark
 * at its means. Positions are set through the CSSOM (allowed by the strict CSP); the same facts
 * are in the list beside it, so nothing is conveyed by position alone.
 */
export function matrixChart(results, { limit = 0 } = {}) {
  const entries = (results.entries || []).filter((entry) => entry.voters)
    .sort((a, b) => a.rank - b.rank);
  const shown = limit ? entries.slice(0, limit) : entries;
  const plane = h("div", { class: "matrix-plane", "aria-hidden": "true" },
    QUADRANTS.flat().map((key) => h("span", { class: `matrix-quadrant matrix-${key}`, text: t(`results.quadrant.${key}`) })),
    shown.map((entry) => {
      const mark = h("span", { class: "matrix-mark", text: rankLabel(entry) });
      mark.style.left = `${((entry.feasibility - 1) / 4) * 100}%`;
      mark.style.bottom = `${((entry.impact - 1) / 4) * 100}%`;
      return mark;
    }));
  return h("figure", { class: "matrix-chart" },
    h("div", { class: "matrix-frame" },
      h("span", { class: "matrix-axis matrix-axis-y", "aria-hidden": "true", text: t("results.axis.impact") }),
      plane,
      h("span", { class: "matrix-axis matrix-axis-x", "aria-hidden": "true", text: t("results.axis.feasibility") })),
    h("figcaption", {},
      h("ul", { class: "matrix-legend" }, shown.map((entry) => h("li", {},
        h("span", { class: "matrix-key", text: rankLabel(entry) }), " ",
        h("span", { class: "result-name", text: entry.name }), " — ",
        t(`results.quadrant.${entry.quadrant}`), ": ",
        t("results.matrix_score", { impact: formatNumber(entry.impact), feasibility: formatNumber(entry.feasibility) }))))));
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
