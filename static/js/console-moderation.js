// The console's moderation panel: every item with Hide / Restore / Edit, and the moderation trail
// (from the audit trail, kept live by the changes' trail entries).

import { h, swap } from "./dom.js";
import { t, formatTime } from "./i18n.js";
import { ASSESSMENTS, assessmentName, itemMarks } from "./item-marks.js";

const SHOWN = 40;

export function moderationPanel(ctx) {
  const list = h("ul", { class: "item-list moderation-list", id: "moderation-items" });
  const trail = h("ol", { class: "plain-list trail-list", id: "moderation-trail" });
  const el = h("section", { class: "card panel moderation-card", id: "moderation-panel", "aria-labelledby": "moderation-heading" },
    h("details", { id: "moderation-details" },
      h("summary", { class: "panel-summary" }, h("h2", { id: "moderation-heading", text: t("moderation.heading") })),
      h("p", { class: "hint", text: t("moderation.hint") }),
      list,
      h("h3", { id: "trail-heading", text: t("moderation.trail") }),
      trail));
  let editing = null; // { id, text, lane, tag, assessment }
  let signature = "";

  function editor(state, item) {
    const id = `mod-text-${item.id}`;
    const text = h("textarea", {
      id, rows: 3, maxlength: 280, "data-key": id, value: editing.text, lang: state.workshop.language || null,
      oninput: () => { editing.text = text.value; },
    });
    const select = (name, label, options, value) => {
      const sid = `mod-${name}-${item.id}`;
      const el2 = h("select", { id: sid, "data-key": sid, onchange: () => { editing[name] = el2.value; } },
        options.map(([key, title]) => h("option", { value: key, selected: key === (value || ""), text: title })));
      return h("div", { class: "field" }, h("label", { class: "label", for: sid, text: label }), el2);
    };
    return h("form", {
      class: "stack own-editor", novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const payload = { item_id: item.id };
        const value = editing.text.trim();
        if (value && value !== item.text) payload.text = value;
        if (editing.lane !== item.lane) payload.lane = editing.lane;
        if ((editing.tag || null) !== (item.tag || null)) payload.tag = editing.tag || null;
        if (editing.assessment && editing.assessment !== item.assessment) payload.assessment = editing.assessment;
        if (Object.keys(payload).length === 1) {
          editing = null;
          signature = "";
          ctx.refresh();
          return;
        }
        const ack = await ctx.act("item.edit", payload);
        if (ack && ack.ok) {
          editing = null;
          signature = "";
          ctx.announce(t("moderation.edited"));
          ctx.refresh();
        }
      },
    },
    h("label", { class: "label", for: id, text: t("moderation.text") }),
    text,
    select("lane", t("moderation.lane"), state.lanes.map((lane) => [lane.key, lane.name]), editing.lane),
    (state.tags || []).length
      ? select("tag", t("compose.tag"), [["", t("compose.no_tag")], ...state.tags.map((tag) => [tag.key, tag.name])], editing.tag)
      : null,
    state.workshop.assess_items || item.assessment
      ? select("assessment", t("compose.assessment"), ASSESSMENTS.map((key) => [key, assessmentName(key)]), editing.assessment)
      : null,
    h("div", { class: "item-actions" },
      h("button", { type: "submit", class: "btn btn-small btn-primary", "data-key": `mod-save-${item.id}`, text: t("action.save") }),
      h("button", {
        type: "button", class: "btn btn-small btn-quiet", text: t("action.cancel"),
        onclick: () => { editing = null; signature = ""; ctx.refresh(); },
      })));
  }

  function row(state, item) {
    const short = item.text.slice(0, 40);
    const lane = (state.lanes.find((l) => l.key === item.lane) || {}).name || item.lane;
    return h("li", { class: `item-card${item.hidden ? " item-card-hidden" : ""}` },
      h("span", { class: "lane-tag", text: lane }),
      item.hidden ? h("span", { class: "badge badge-failed", text: t("moderation.hidden") }) : null,
      item.on_behalf ? h("span", { class: "badge badge-pending", text: t("item.paper") }) : null,
      itemMarks(state, item),
      h("p", { class: "item-text", lang: state.workshop.language || null, text: item.text }),
      editing && editing.id === item.id ? editor(state, item) : h("div", { class: "item-actions" },
        h("button", {
          type: "button", class: "btn btn-small", "data-key": `mod-edit-${item.id}`, text: t("action.edit"),
          "aria-label": t("moderation.edit_item", { text: short }),
          onclick: () => {
            editing = { id: item.id, text: item.text, lane: item.lane, tag: item.tag || "", assessment: item.assessment || "" };
            signature = "";
            ctx.refresh();
            document.getElementById(`mod-text-${item.id}`)?.focus();
          },
        }),
        h("button", {
          type: "button", class: "btn btn-small btn-quiet", "data-key": `mod-${item.hidden ? "restore" : "hide"}-${item.id}`,
          text: item.hidden ? t("moderation.restore") : t("moderation.hide"),
          "aria-label": t(item.hidden ? "moderation.restore_item" : "moderation.hide_item", { text: short }),
          onclick: async () => {
            const ack = await ctx.act(item.hidden ? "item.restore" : "item.hide", { item_id: item.id });
            if (ack && ack.ok) ctx.announce(t(item.hidden ? "moderation.restored" : "moderation.hidden_announce"));
          },
        })));
  }

  function trailRow(state, entry) {
    const detail = entry.detail || {};
    const item = detail.item_id ? state.items.find((i) => i.id === detail.item_id) : null;
    const what = item ? `“${item.text.slice(0, 50)}”` : (detail.after && detail.after.name) || (detail.before && detail.before.name)
      || (detail.after && detail.after.anonymity ? t(`anonymity.${detail.after.anonymity}`) : "") || detail.name || "";
    const fields = (detail.fields || []).map((f) => t(`moderation.field.${f}`)).join(", ");
    return h("li", { class: "trail-entry" },
      h("span", { class: "muted small", text: formatTime(entry.at) }), " ",
      h("strong", { text: t(`trail.${entry.action}`) }),
      fields ? ` (${fields})` : "",
      what ? ` ${what}` : "",
      entry.previous_text ? h("span", { class: "trail-previous" }, ` ${t("moderation.previous")} `,
        h("q", { text: entry.previous_text })) : null,
      entry.actor ? h("span", { class: "muted small", text: ` · ${entry.actor}` }) : null);
  }

  return {
    el,
    update(state) {
      const items = state.items.slice().sort((a, b) => b.id - a.id).slice(0, SHOWN);
      const entries = (state.moderation || []).slice(0, 30);
      const next = JSON.stringify([items.map((i) => [i.id, i.text, i.lane, i.tag, i.assessment, i.hidden, i.author]),
        entries.length, entries[0] && entries[0].at, editing && editing.id, state.tags, state.lanes]);
      if (next === signature) return;
      signature = next;
      swap(list, items.length ? items.map((item) => row(state, item)) : h("li", { class: "muted", text: t("moderation.none") }));
      swap(trail, entries.length ? entries.map((entry) => trailRow(state, entry)) : h("li", { class: "muted", text: t("moderation.trail_empty") }));
    },
  };
}
