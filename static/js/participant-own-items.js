// On the phone: the tag and assessment controls of the composer, the marks an item carries, and
// editing or withdrawing one's own item until the facilitator groups it into a theme.

import { h, swap } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./realtime.js";
import { ASSESSMENTS, assessmentName, itemMarks } from "./item-marks.js";

export { itemMarks };

/** The assessment radios (required in a customer journey) and the tag select (when there are tags). */
export function composerExtras(draft, state, prefix = "item") {
  const parts = [];
  if (prefix === "item") {
    // Who will see the author of what is written here: said before anything is sent.
    const mode = state.workshop.anonymity || "anonymous";
    parts.push(h("p", { class: "hint anonymity-note", id: "anonymity-note", text: t(`anonymity.note.${mode}`) }));
  }
  if (state.workshop.assess_items) {
    if (!ASSESSMENTS.includes(draft.assessment)) draft.assessment = "";
    parts.push(h("fieldset", { class: "chips assessment-choice", id: `${prefix}-assessment` },
      h("legend", { text: t("compose.assessment") }),
      ASSESSMENTS.map((key) => h("label", { class: `chip chip-${key}` },
        h("input", {
          type: "radio", name: `${prefix}-assessment`, value: key, checked: draft.assessment === key,
          required: true, onchange: () => { draft.assessment = key; },
        }),
        h("span", { text: assessmentName(key) })))));
  }
  const tags = state.tags || [];
  if (tags.length) {
    if (draft.tag && !tags.some((tag) => tag.key === draft.tag)) draft.tag = "";
    const select = h("select", {
      id: `${prefix}-tag`, name: "tag", onchange: () => { draft.tag = select.value; },
    },
    h("option", { value: "", text: t("compose.no_tag") }),
    tags.map((tag) => h("option", { value: tag.key, selected: tag.key === draft.tag, text: tag.name })));
    parts.push(h("div", { class: "field" }, h("label", { class: "label", for: `${prefix}-tag`, text: t("compose.tag") }), select));
  }
  return parts;
}

/** What an item command carries besides lane and text (only what is set). */
export function extrasPayload(entry) {
  const payload = {};
  if (entry.tag) payload.tag = entry.tag;
  if (entry.assessment) payload.assessment = entry.assessment;
  return payload;
}

/** Whether the draft may be sent; returns an error message or "". */
export function missingExtras(draft, state) {
  return state.workshop.assess_items && !ASSESSMENTS.includes(draft.assessment) ? t("compose.assessment_missing") : "";
}

/**
 * An own item the facilitator merged into a similar one: which one (as the phone now knows it,
 * e.g. moved to another theme since), in which theme, and that it is no longer the author's to
 * change.
 */
function mergedNote(state, into) {
  const holder = state.items.find((entry) => entry.id === into.id) || into;
  const theme = holder.theme_id ? state.themes.find((entry) => entry.id === holder.theme_id) : null;
  const text = holder.text ? `${holder.text.slice(0, 80)}${holder.text.length > 80 ? "…" : ""}` : "";
  return h("div", { class: "merged-note" },
    h("p", { class: "small", text: text ? t("mine.merged", { text }) : t("mine.merged_unnamed") }),
    theme ? h("p", { class: "small", text: t("mine.in_theme", { theme: theme.name }) }) : null,
    state.workshop.phase === "closed" ? null : h("p", { class: "hint small", text: t("mine.merged_locked") }));
}

/**
 * Edit and withdraw buttons for one of the participant's own saved items, and the inline
 * editor. Only an ungrouped item can be changed: the server refuses the rest with a message.
 */
export function ownItemControls(ctx, state, item) {
  if (item.merged_into) return mergedNote(state, item.merged_into);
  if (item.theme_id !== null && item.theme_id !== undefined) {
    // Once the workshop is closed nothing can change: say where the item went, not whom to ask.
    const theme = state.workshop.phase === "closed" && state.themes.find((entry) => entry.id === item.theme_id);
    if (theme) return h("p", { class: "hint small", text: t("mine.in_theme", { theme: theme.name }) });
    return h("p", { class: "hint small", text: t("mine.grouped") });
  }
  if (state.workshop.phase === "closed") return null;
  const box = h("div", { class: "item-actions own-actions" });
  const message = h("p", { class: "field-error", role: "alert" });

  async function send(event, payload) {
    try {
      const ack = await ctx.live.request(event, payload);
      if (!ack.ok) message.textContent = errorMessage(ack, t);
      return ack;
    } catch (error) {
      message.textContent = errorMessage(error, t);
      return null;
    }
  }

  function showButtons() {
    swap(box,
      h("button", {
        type: "button", class: "btn btn-small", "data-key": `edit-${item.id}`, text: t("action.edit"),
        "aria-label": t("mine.edit_item", { text: item.text.slice(0, 40) }), onclick: showEditor,
      }),
      h("button", {
        type: "button", class: "btn btn-small btn-quiet", "data-key": `withdraw-${item.id}`, text: t("mine.withdraw"),
        "aria-label": t("mine.withdraw_item", { text: item.text.slice(0, 40) }),
        onclick: async () => {
          if (!window.confirm(t("mine.withdraw_confirm"))) return;
          const ack = await send("item.withdraw", { item_id: item.id });
          if (ack && ack.ok) {
            ctx.live.state.items = ctx.live.state.items.filter((entry) => entry.id !== item.id);
            ctx.announce(t("mine.withdrawn"));
            ctx.changed();
          }
        },
      }),
      message);
  }

  /** Back to the buttons, at once: the list's own redraw may see nothing new to draw. */
  function closeEditor() {
    ctx.editing = null;
    showButtons();
    box.querySelector(`[data-key="edit-${item.id}"]`)?.focus();
    ctx.changed();
  }

  function showEditor() {
    ctx.editing = item.id;
    const draft = { tag: item.tag || "", assessment: item.assessment || "" };
    const id = `edit-text-${item.id}`;
    const field = h("textarea", { id, rows: 3, maxlength: 280, value: item.text, lang: state.workshop.language || null });
    const form = h("form", {
      class: "stack own-editor", novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const text = field.value.trim();
        if (!text) {
          message.textContent = t("compose.empty");
          field.focus();
          return;
        }
        const payload = { item_id: item.id };
        if (text !== item.text) payload.text = text;
        if ((draft.tag || null) !== (item.tag || null)) payload.tag = draft.tag || null;
        if (draft.assessment && draft.assessment !== item.assessment) payload.assessment = draft.assessment;
        if (Object.keys(payload).length === 1) {
          closeEditor();
          return;
        }
        const ack = await send("item.edit", payload);
        if (ack && ack.ok) {
          Object.assign(item, ack.item);
          ctx.announce(t("mine.edited"));
          closeEditor();
        }
      },
    },
    h("label", { class: "label", for: id, text: t("mine.edit_label") }),
    field,
    composerExtras(draft, state, `edit-${item.id}`),
    h("div", { class: "item-actions" },
      h("button", { type: "submit", class: "btn btn-small btn-primary", text: t("action.save") }),
      h("button", {
        type: "button", class: "btn btn-small btn-quiet", text: t("action.cancel"),
        onclick: closeEditor,
      })),
    message);
    swap(box, form);
    field.focus();
  }

  if (ctx.editing === item.id) showEditor();
  else showButtons();
  return box;
}
