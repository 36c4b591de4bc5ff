// The projector in Present and Concretise: the spotlighted items large, and the support
// proposals per top theme as they come in (never with authors).

import { h } from "./dom.js";
import { t, tn } from "./i18n.js";
import { spotlightLabel, proposalThemes, proposalsOf, supportType } from "./method.js";

const PROPOSAL_CAP = 6;

export function presentStage(state, collect) {
  const spot = state.spotlight;
  if (!spot) {
    return [h("p", { class: "proj-note", text: t("projector.present_waiting") }), collect(state)];
  }
  const lang = state.workshop.language || null;
  return h("div", { class: "proj-spotlight" },
    h("h2", { class: "proj-subheading", text: spotlightLabel(state, spot) }),
    spot.items.length
      ? h("ul", { class: "proj-spot-items" }, spot.items.map((item) => {
        const lane = state.lanes.find((l) => l.key === item.lane);
        return h("li", { class: `proj-item lane-${state.lanes.indexOf(lane)}` },
          spot.mode === "participant" && lane ? h("span", { class: "proj-lane", text: lane.name }) : null,
          h("span", { class: "proj-text", lang, text: item.text }));
      }))
      : h("p", { class: "proj-message", text: t("present.nothing") }));
}

/**
 * Themes as a grid that fills the screen: every theme stays in view (two, three or four columns
 * by how many there are, the rows sharing the height), each card fading out if its items are
 * longer than its share.
 */
export function themeGrid(count, cards) {
  const columns = count <= 4 ? 2 : count <= 9 ? 3 : 4;
  const grid = h("ul", { class: `proj-themes proj-themes-${columns}` }, cards);
  grid.style.setProperty("--rows", String(Math.max(1, Math.ceil(count / columns))));
  return grid;
}

export function concretiseStage(state) {
  const themes = proposalThemes(state);
  const lang = state.workshop.language || null;
  if (!themes.length) return h("p", { class: "proj-message", text: t("projector.waiting_themes") });
  return [
    h("p", { class: "proj-note", text: t("projector.propose_now") }),
    themeGrid(themes.length, themes.map((theme) => {
      const proposals = proposalsOf(state, theme.id);
      return h("li", { class: "proj-theme" },
        h("h2", { class: "proj-theme-name", lang },
          h("span", { text: theme.name }),
          h("span", { class: "proj-theme-count", text: tn("proposals.count", proposals.length) })),
        h("ul", { class: "proj-theme-items" }, proposals.slice(-PROPOSAL_CAP).map((p) => h("li", { lang },
          h("strong", { text: `${supportType(p.type)}: ` }), p.description,
          p.who_needs ? h("span", { class: "proj-who", text: ` (${t("propose.for_whom", { who: p.who_needs })})` }) : null))),
        proposals.length > PROPOSAL_CAP
          ? h("p", { class: "proj-more", text: t("projector.more", { n: proposals.length - PROPOSAL_CAP }) }) : null);
    })),
  ];
}
