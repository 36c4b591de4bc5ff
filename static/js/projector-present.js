// The projector in Present and Concretise: the spotlighted items large, and the support
// proposals per top theme as they come in (never with authors). Both page through
// projector-pager.js: nothing a participant wrote is ever cut off.

import { h } from "./dom.js";
import { t, tn } from "./i18n.js";
import { spotlightLabel, proposalThemes, proposalsOf, supportType } from "./method.js";

export function presentStage(state, collect) {
  const spot = state.spotlight;
  if (!spot) {
    return [h("p", { class: "proj-note", text: t("projector.present_waiting") }), collect(state)];
  }
  const lang = state.workshop.language || null;
  return h("div", { class: "proj-spotlight proj-fill" },
    h("div", { class: "proj-spot-who" },
      h("h2", { class: "proj-subheading", text: spotlightLabel(state, spot) }),
      spot.items.length ? h("p", { class: "proj-spot-count", text: tn("theme.items", spot.items.length) }) : null),
    spot.items.length
      ? h("ul", { class: `proj-spot-items proj-spot-${spot.mode}`, "data-paged": "flow" }, spot.items.map((item) => {
        const lane = state.lanes.find((l) => l.key === item.lane);
        return h("li", { class: `proj-item lane-${state.lanes.indexOf(lane)}` },
          spot.mode === "participant" && lane ? h("span", { class: "proj-lane", text: lane.name }) : null,
          h("span", { class: "proj-text", lang, text: item.text }));
      }))
      : h("p", { class: "proj-message", text: t("present.nothing") }));
}

/** One theme's card: its name, a count, its entries, and the "and N more" line the pager fills. */
export function themeCard(name, count, lang, entries) {
  return h("li", { class: "proj-theme" },
    h("h2", { class: "proj-theme-name", lang },
      h("span", { text: name }),
      h("span", { class: "proj-theme-count", text: count })),
    h("ul", { class: "proj-theme-items" }, entries),
    h("p", { class: "proj-more", hidden: true }));
}

export function concretiseStage(state) {
  const themes = proposalThemes(state);
  const lang = state.workshop.language || null;
  if (!themes.length) return h("p", { class: "proj-message", text: t("projector.waiting_themes") });
  return [
    h("p", { class: "proj-note", text: t("projector.propose_now") }),
    h("ul", { class: "proj-themes", "data-paged": "cards" }, themes.map((theme) => {
      // The newest first: what the room just proposed is what it looks for.
      const proposals = proposalsOf(state, theme.id).reverse();
      return themeCard(theme.name, tn("proposals.count", proposals.length), lang, proposals.map((p) => h("li", { lang },
        h("strong", { text: `${supportType(p.type)}: ` }), p.description,
        p.who_needs ? h("span", { class: "proj-who", text: ` (${t("propose.for_whom", { who: p.who_needs })})` }) : null)));
    })),
  ];
}
