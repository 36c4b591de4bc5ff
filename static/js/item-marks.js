// The marks an item carries on every screen: its assessment (customer journey), its tag, that it
// was added from a paper note, and its author when the workshop's setting sends one.

import { h } from "./dom.js";
import { t } from "./i18n.js";

export const ASSESSMENTS = ["works_well", "needs_development"];

export function assessmentName(key) {
  return key ? t(`assessment.${key}`) : "";
}

export function tagName(state, key) {
  const tag = (state.tags || []).find((entry) => entry.key === key);
  return tag ? tag.name : key;
}

/** Small labels; ``paper`` adds the paper-note mark (screens that do not show it otherwise). */
export function itemMarks(state, item, { paper = false } = {}) {
  const marks = [
    item.assessment ? h("span", { class: `mark mark-${item.assessment}`, text: assessmentName(item.assessment) }) : null,
    item.tag ? h("span", { class: "mark mark-tag", text: tagName(state, item.tag) }) : null,
    paper && item.on_behalf ? h("span", { class: "mark mark-paper", text: t("item.paper") }) : null,
    "author" in item ? h("span", { class: "mark mark-author", text: item.author || t("author.unnamed") }) : null,
  ].filter(Boolean);
  return marks.length ? h("span", { class: "marks" }, marks) : null;
}
