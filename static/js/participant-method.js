// The phone in the full method's own phases: pre-work (collect at one's own pace), Present
// (what is being presented, and whether it is one's own), and Concretise (propose support for
// the top themes and edit one's own proposals until the phase closes).

import { h, swap, counter, uuid, badge } from "./dom.js";
import { t, tn } from "./i18n.js";
import { errorMessage, upsert } from "./realtime.js";
import { collectView, myItems } from "./participant-collect.js";
import { SUPPORT_TYPES, supportType, spotlightLabel, proposalThemes, proposalsOf } from "./method.js";

const DESCRIPTION_MAX = 280;
const WHO_MAX = 120;

/** Pre-work: the collect screen, with a word on coming back later from this device. */
export function preworkView(ctx, state) {
  const collect = collectView(ctx, state);
  return {
    el: [h("div", { class: "card notice" },
      h("h2", { text: t("prework.heading") }),
      h("p", { text: t("prework.intro") })), ...collect.el],
    update: collect.update,
  };
}

/** Present: the spotlighted items, as on the big screen. */
export function presentView(ctx) {
  const box = h("section", { class: "card spotlight-card", "aria-labelledby": "spot-heading" });
  const mine = myItems(ctx);
  let signature = "";
  return {
    el: [box, mine.el],
    update(state) {
      mine.update(state);
      const spot = state.spotlight;
      const own = new Set(state.items.filter((item) => item.mine).map((item) => item.id));
      const isMine = Boolean(spot && spot.items.length && spot.items.every((item) => own.has(item.id))
        && spot.mode === "participant");
      const next = JSON.stringify([spot, isMine]);
      if (next === signature) return;
      signature = next;
      const lang = state.workshop.language || null;
      if (!spot) {
        swap(box, h("h2", { id: "spot-heading", text: t("waiting.present.heading") }),
          h("p", { text: t("waiting.present.intro") }));
        return;
      }
      swap(box,
        h("p", { class: "eyebrow", text: t("present.now") }),
        h("h2", { id: "spot-heading", text: spotlightLabel(state, spot) }),
        isMine ? h("p", { class: "notice-inline notice-yours", text: t("present.yours") }) : null,
        spot.items.length
          ? h("ul", { class: "plain-list spot-items" }, spot.items.map((item) => h("li", { lang, text: item.text })))
          : h("p", { class: "muted", text: t("present.nothing") }));
    },
  };
}

/** Concretise: propose support for a top theme; see everyone's proposals without authors. */
export function proposeView(ctx, state) {
  const draft = ctx.proposal || (ctx.proposal = { client_id: "", editing: null, theme: "", type: "", description: "", who: "" });
  const status = h("div", { class: "ballot-status", role: "status" });
  const themeSelect = h("select", { id: "proposal-theme", required: true, onchange: () => { draft.theme = themeSelect.value; } });
  const typeSelect = h("select", {
    id: "proposal-type", required: true, onchange: () => { draft.type = typeSelect.value; },
  }, SUPPORT_TYPES.map((key) => h("option", { value: key, text: supportType(key) })));
  const description = h("textarea", {
    id: "proposal-description", rows: 3, maxlength: DESCRIPTION_MAX, required: true,
    "aria-describedby": "proposal-count proposal-error", lang: state.workshop.language || null,
    oninput: () => { draft.description = description.value; error.textContent = ""; },
  });
  const who = h("input", {
    id: "proposal-who", type: "text", maxlength: WHO_MAX, "aria-describedby": "proposal-who-hint",
    lang: state.workshop.language || null, oninput: () => { draft.who = who.value; },
  });
  const count = h("p", { id: "proposal-count", class: "counter" });
  const error = h("p", { id: "proposal-error", class: "field-error" });
  const heading = h("h2", { id: "proposal-heading", tabindex: "-1" });
  const submitButton = h("button", { type: "submit", class: "btn btn-primary btn-block" });
  const cancel = h("button", { type: "button", class: "btn btn-quiet btn-block", text: t("action.cancel"), onclick: () => reset() });
  const list = h("div", { class: "theme-list" });
  let sending = false;

  function fill() {
    typeSelect.value = draft.type || SUPPORT_TYPES[0];
    description.value = draft.description;
    who.value = draft.who;
    description.dispatchEvent(new Event("input"));
    heading.textContent = draft.editing ? t("propose.edit_heading") : t("propose.heading");
    submitButton.textContent = draft.editing ? t("propose.save") : t("propose.submit");
    cancel.hidden = !draft.editing;
    themeSelect.disabled = Boolean(draft.editing);
  }

  function reset() {
    Object.assign(draft, { client_id: "", editing: null, type: "", description: "", who: "" });
    fill();
  }

  function edit(proposal) {
    Object.assign(draft, { client_id: "", editing: proposal.id, theme: String(proposal.theme_id), type: proposal.type,
      description: proposal.description, who: proposal.who_needs });
    themeSelect.value = draft.theme;
    fill();
    heading.focus();
  }

  async function submit(event) {
    event.preventDefault();
    if (sending) return;
    const text = description.value.trim();
    if (!text) {
      error.textContent = t("compose.empty");
      description.focus();
      return;
    }
    const fields = { type: typeSelect.value, description: text, who_needs: who.value.trim() };
    let name;
    let payload;
    if (draft.editing) {
      name = "proposal.edit";
      payload = { proposal_id: draft.editing, ...fields };
    } else {
      if (!draft.client_id) draft.client_id = uuid(); // kept until it lands: a resend is harmless
      name = "proposal.submit";
      payload = { client_id: draft.client_id, theme_id: Number(themeSelect.value), ...fields };
    }
    sending = true;
    swap(status, badge("sending", t("status.sending")));
    try {
      const ack = await ctx.live.deliver(name, payload);
      if (ack.ok) {
        if (ack.proposal && ctx.live.state) upsert(ctx.live.state.proposals, ack.proposal);
        swap(status, badge("saved", t("status.saved")));
        ctx.announce(draft.editing ? t("propose.saved_announce") : t("propose.added_announce"));
        reset();
        ctx.changed();
      } else {
        swap(status, badge("failed", t("status.not_sent")), h("p", { class: "field-error", text: errorMessage(ack, t) }));
      }
    } catch (err) {
      swap(status, badge("failed", t("status.not_sent")),
        h("p", { class: "field-error", text: err.offline ? t("propose.offline") : errorMessage(err, t) }));
    }
    sending = false;
  }

  const form = h("form", { class: "card proposal-form", novalidate: true, "aria-labelledby": "proposal-heading", onsubmit: submit },
    heading,
    h("p", { class: "hint", text: t("propose.intro") }),
    h("label", { for: "proposal-theme", class: "label", text: t("propose.theme") }), themeSelect,
    h("label", { for: "proposal-type", class: "label", text: t("propose.type") }), typeSelect,
    h("label", { for: "proposal-description", class: "label", text: t("propose.description") }),
    description, count, error,
    h("label", { for: "proposal-who", class: "label", text: t("propose.who") }),
    h("p", { id: "proposal-who-hint", class: "hint", text: t("propose.who_hint") }), who,
    submitButton, cancel, status);
  counter(description, count);
  fill();

  let themesKey = "";
  let listKey = "";
  return {
    el: [form, list],
    update(next) {
      const themes = proposalThemes(next);
      const key = JSON.stringify(themes.map((theme) => [theme.id, theme.name]));
      if (key !== themesKey && document.activeElement !== themeSelect) {
        themesKey = key;
        if (!themes.some((theme) => String(theme.id) === draft.theme)) draft.theme = themes.length ? String(themes[0].id) : "";
        swap(themeSelect, themes.map((theme) => h("option", { value: String(theme.id), selected: String(theme.id) === draft.theme, text: theme.name })));
      }
      const lang = next.workshop.language || null;
      const shown = JSON.stringify([key, next.proposals]);
      if (shown === listKey) return;
      listKey = shown;
      swap(list, themes.map((theme) => {
        const proposals = proposalsOf(next, theme.id);
        return h("section", { class: "card theme-card", "aria-labelledby": `proposals-${theme.id}` },
          h("h3", { id: `proposals-${theme.id}`, class: "theme-name", lang, text: theme.name }),
          h("p", { class: "muted", text: tn("proposals.count", proposals.length) }),
          h("ul", { class: "plain-list proposal-list" }, proposals.map((p) => h("li", { class: p.mine ? "mine" : null },
            h("span", { class: "lane-tag", text: supportType(p.type) }),
            h("span", { lang, text: ` ${p.description}` }),
            p.who_needs ? h("span", { class: "muted proposal-who", lang, text: ` ${t("propose.for_whom", { who: p.who_needs })}` }) : null,
            p.mine ? h("button", {
              type: "button", class: "btn btn-small", text: t("action.edit"),
              "aria-label": t("propose.edit_aria", { text: p.description.slice(0, 40) }), onclick: () => edit(p),
            }) : null))));
      }));
    },
  };
}
