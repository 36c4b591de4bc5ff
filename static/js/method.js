// What the phone, the projector and the console share about the full method: how a spotlight
// is named (by ordinal and perspective, never by name), which themes take support proposals,
// and the kinds of support.

import { t, formatNumber } from "./i18n.js";

export const SUPPORT_TYPES = ["checklist", "template", "guide", "training", "network", "examples", "other"];

export function supportType(key) {
  return t(`support.type.${key}`);
}

function perspectiveName(state, key) {
  const found = state.perspectives.find((p) => p.key === key);
  return found ? found.name : "";
}

/** "Participant 3 · Supplier", "Paper notes", or "Challenge (1 of 2)". */
export function spotlightLabel(state, spot) {
  if (!spot) return "";
  if (spot.mode === "lane") {
    const lane = state.lanes.find((l) => l.key === spot.lane);
    return t("spotlight.lane", { lane: lane ? lane.name : spot.lane, n: formatNumber(spot.position || 0),
      total: formatNumber(spot.total || 0) });
  }
  if (spot.paper) return t("spotlight.paper");
  if (!spot.ordinal) return t("spotlight.gone");
  const who = t("spotlight.participant", { n: formatNumber(spot.ordinal), total: formatNumber(spot.total) });
  const perspective = perspectiveName(state, spot.perspective);
  return perspective ? `${who} · ${perspective}` : who;
}

/** The themes support is proposed for: the top ranks of the revealed vote, otherwise all
 * themes in order (the server's rule, domain/support.py; the server has the last word). */
export function proposalThemes(state) {
  const top = state.support_top || 5;
  const entries = state.workshop.results_revealed && state.results && state.results.entries;
  if (!entries) return state.themes.slice();
  const byId = new Map(state.themes.map((theme) => [theme.id, theme]));
  return entries.filter((e) => e.rank <= top && byId.has(e.theme_id))
    .sort((a, b) => a.rank - b.rank).map((e) => byId.get(e.theme_id));
}

/** Proposals of one theme, as they came. */
export function proposalsOf(state, themeId) {
  return state.proposals.filter((p) => p.theme_id === themeId).sort((a, b) => a.id - b.id);
}
