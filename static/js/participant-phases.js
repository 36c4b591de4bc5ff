// The phone's screens after collecting: themes (read-only), dot voting, advice, and the end.

import { h, swap, counter, badge } from "./dom.js";
import { t, tn } from "./i18n.js";
import { themeItems } from "./realtime.js";
import { itemMarks } from "./item-marks.js";
import { saidMark } from "./said.js";
import { resultBars } from "./results.js";
import { myItems } from "./participant-collect.js";

const ADVICE_MAX = 280;

/** Aggregate: the facilitator groups; everyone follows the themes as they form. */
export function aggregateView(ctx) {
  const list = h("div", { class: "theme-list" });
  const unsent = myItems(ctx, { showSaved: false });
  let signature = "";
  return {
    el: [unsent.el, h("div", { class: "card notice" },
      h("h2", { text: t("aggregate.heading") }),
      h("p", { text: t("aggregate.intro") })), list],
    update(state) {
      unsent.update(state);
      const next = JSON.stringify([state.themes,
        state.items.map((i) => [i.id, i.theme_id, i.text, i.tag, i.assessment, i.author, i.merged_into, i.mentions,
          i.perspectives]), state.perspectives]);
      if (next === signature) return;
      signature = next;
      // Items that one of this phone's own items was merged into: the author finds theirs there.
      const holding = new Set(state.items.filter((i) => i.mine && i.merged_into).map((i) => i.merged_into.id));
      swap(list,
        state.themes.length ? null : h("p", { class: "muted", text: t("aggregate.no_themes") }),
        state.themes.map((theme) => {
          const items = themeItems(state, theme.id);
          return h("section", { class: "card theme-card" },
            h("h3", { class: "theme-name", lang: state.workshop.language || null, text: theme.name }),
            h("p", { class: "muted", text: tn("theme.items", items.length) }),
            h("ul", { class: "plain-list" }, items.map((item) => h("li", {
              class: item.mine ? "mine" : null, lang: state.workshop.language || null,
            }, item.text, itemMarks(state, item), saidMark(state, item),
            item.mine ? h("span", { class: "mine-tag", text: t("item.yours") })
              : holding.has(item.id) ? h("span", { class: "mine-tag", text: t("item.yours_merged") }) : null))));
        }));
    },
  };
}

/** Advice: one text, editable until the phase closes. */
export function adviceView(ctx) {
  const advice = ctx.advice;
  const field = h("textarea", {
    id: "advice-text", rows: 5, maxlength: ADVICE_MAX, "aria-describedby": "advice-hint advice-count",
    oninput: () => { advice.text = field.value; advice.dirty = true; renderStatus(); },
  });
  const count = h("p", { id: "advice-count", class: "counter" });
  const status = h("div", { class: "ballot-status", role: "status" });

  function renderStatus() {
    const labels = {
      sending: t("status.sending"), pending: t("status.waiting"), saved: t("status.saved"), failed: t("status.not_sent"),
    };
    const busy = ["sending", "pending", "failed"].includes(advice.status);
    const kind = advice.dirty && !busy ? "dirty" : advice.status;
    swap(status,
      kind === "dirty" ? badge("dirty", t("status.unsaved")) : labels[kind] ? badge(kind, labels[kind]) : null,
      advice.error ? h("p", { class: "field-error", text: advice.error }) : null);
  }

  function submit(event) {
    if (event) event.preventDefault();
    const text = field.value.trim();
    advice.error = "";
    advice.dirty = false;
    advice.text = text;
    ctx.adviceSender.submit({ text });
    renderStatus();
  }

  const form = h("form", { class: "card", onsubmit: submit },
    h("h2", {}, h("label", { for: "advice-text", text: t("advice.heading") })),
    h("p", { id: "advice-hint", class: "muted", text: t("advice.hint") }),
    field, count,
    h("button", { type: "submit", class: "btn btn-primary btn-block", text: t("advice.save") }),
    status);
  counter(field, count);
  const unsent = ctx.adviceSender.pending();
  if (unsent && !advice.dirty) {
    field.value = unsent.text;
    advice.text = unsent.text;
  }
  return {
    el: [form],
    update(state) {
      if (!advice.dirty && !["sending", "pending", "failed"].includes(advice.status)) {
        const saved = (state.me && state.me.advice) || "";
        if (field.value !== saved && document.activeElement !== field) {
          field.value = saved;
          field.dispatchEvent(new Event("input"));
          advice.dirty = false;
        }
        if (saved && advice.status === "idle") advice.status = "saved";
      }
      field.lang = state.workshop.language || "";
      renderStatus();
    },
  };
}

/** Closed: thanks, plus what this participant contributed and the top themes. */
export function closedView(ctx) {
  const box = h("div");
  const mine = myItems(ctx);
  return {
    el: [h("div", { class: "card notice notice-done" },
      h("h2", { text: t("closed.heading") }),
      h("p", { text: t("closed.intro") })), box, mine.el],
    update(state) {
      const advice = state.me && state.me.advice;
      swap(box,
        advice ? h("section", { class: "card" },
          h("h2", { text: t("closed.your_advice") }),
          h("blockquote", { class: "advice-quote", lang: state.workshop.language || null, text: advice })) : null,
        state.results && state.results.entries && state.results.entries.length
          ? h("section", { class: "card" }, h("h2", { text: t("closed.top_themes") }), resultBars(state.results, { limit: 5 }))
          : null);
      mine.update(state);
    },
  };
}

/** Phases without a phone task (present, concretise...): say what is happening. */
export function waitingView(ctx, phase) {
  const mine = myItems(ctx);
  const results = h("div");
  const known = ["present", "concretise"];
  const key = known.includes(phase) ? phase : "other";
  return {
    el: [h("div", { class: "card notice" },
      h("h2", { text: t(`waiting.${key}.heading`) }),
      h("p", { text: t(`waiting.${key}.intro`) })), results, mine.el],
    update(state) {
      swap(results, state.workshop.results_revealed && state.results
        ? h("section", { class: "card" }, h("h2", { text: t("results.heading") }), resultBars(state.results))
        : null);
      mine.update(state);
    },
  };
}
