// Where the grouping suggestions sit while the facilitator groups: beside the board on a wide
// screen (a column of its own, screens.css), above it on a narrower one, where a Hide button
// folds them to their heading so the board comes up into view; one press unfolds them again.

import { h } from "./dom.js";
import { t } from "./i18n.js";

export function foldSuggestions(panel) {
  const heading = panel.querySelector("h2");
  if (!heading) return;
  const toggle = h("button", {
    type: "button", class: "btn btn-small sugg-toggle", "data-key": "sugg-toggle", "aria-expanded": "true",
    text: t("sugg.hide"),
    onclick: () => {
      const open = panel.classList.toggle("sugg-folded") === false;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = t(open ? "sugg.hide" : "sugg.show");
    },
  });
  const row = h("div", { class: "sugg-head" });
  heading.replaceWith(row);
  row.append(heading, toggle);
}
