// The validation round on the phone: while the facilitator holds the draft guide open, the phone
// shows what the guide says (themes, the contributions behind them, the advice) and takes
// comments, on the whole guide or on one theme. A comment keeps its client id until the server
// has it, so "Try again" after a dropped connection can never store it twice.

import { h, swap, badge, uuid, counter } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";
import { errorMessage } from "./realtime.js";
import { saidText } from "./said.js";

const COMMENT_MAX = 500;

export function reviewPanel(ctx) {
  const el = h("section", { class: "card review-panel", id: "review-panel", "aria-labelledby": "review-panel-heading", hidden: true });
  const draft = { data: null, loading: false, error: "" };
  const form = { text: "", theme: "", clientId: null, status: "idle", error: "" };
  let signature = "";
  let opened = false;

  async function load() {
    draft.loading = true;
    draft.error = "";
    render(ctx.live.state, true);
    try {
      const response = await fetch(`/api/workshops/${encodeURIComponent(ctx.code)}/review`, {
        headers: { Authorization: `Bearer ${ctx.token}`, Accept: "application/json" }, credentials: "omit",
      });
      const body = await response.json();
      if (!response.ok) throw Object.assign(new Error(body.error?.message || ""), body.error || {});
      draft.data = body.draft;
    } catch (error) {
      draft.error = error.message || t("error.generic");
    } finally {
      draft.loading = false;
      render(ctx.live.state, true);
    }
  }

  async function send() {
    const text = form.text.trim();
    if (!text) {
      el.querySelector("#review-text")?.focus();
      return;
    }
    form.clientId = form.clientId || uuid();
    form.status = "sending";
    form.error = "";
    render(ctx.live.state, true);
    try {
      const ack = await ctx.live.deliver("comment.submit", {
        client_id: form.clientId, text, theme_id: form.theme ? Number(form.theme) : null,
      });
      if (ack.ok) {
        const state = ctx.live.state;
        const mine = state.review.mine || (state.review.mine = []);
        if (!mine.some((c) => c.id === ack.comment.id)) mine.push(ack.comment);
        Object.assign(form, { text: "", clientId: null, status: "saved", error: "" });
        ctx.announce(t("review.saved"));
      } else {
        Object.assign(form, { status: "failed", error: errorMessage(ack, t), clientId: null });
      }
    } catch (error) {
      Object.assign(form, { status: "failed", error: error.offline ? t("review.offline") : errorMessage(error, t) });
    }
    render(ctx.live.state, true);
  }

  // Agree or disagree with a theme: the last answer stands on the server, so a second tap simply
  // replaces the first; the buttons show the stored answer (aria-pressed) once the server has it.
  async function respond(themeId, stance) {
    try {
      const ack = await ctx.live.deliver("review.respond", { theme_id: themeId, stance });
      if (ack.ok) {
        const review = ctx.live.state.review;
        const mine = (review.my_responses || []).filter((r) => r.theme_id !== themeId);
        review.my_responses = [...mine, { theme_id: themeId, stance }];
        ctx.announce(t("review.stance_saved"));
      } else {
        form.error = errorMessage(ack, t);
      }
    } catch (error) {
      form.error = error.offline ? t("review.offline") : errorMessage(error, t);
    }
    render(ctx.live.state, true);
  }

  function stanceView(state, theme) {
    const stored = ((state.review || {}).my_responses || []).find((r) => r.theme_id === theme.id);
    const button = (stance, label) => h("button", { type: "button", class: "btn btn-small", "data-key": `review-${stance}-${theme.id}`,
      "aria-pressed": String(Boolean(stored && stored.stance === stance)), text: label, onclick: () => respond(theme.id, stance) });
    return h("div", { class: "review-stance", role: "group", "aria-label": t("review.stance_label", { theme: theme.name }) },
      button("agree", t("review.agree")), button("disagree", t("review.disagree")));
  }

  /** "What was decided · Owner: … · Due date: …", the parts that were said. */
  function decisionText(decision) {
    return [decision.description,
      decision.owner ? `${t("editorial.owner")}: ${decision.owner}` : null,
      decision.due ? `${t("editorial.due")}: ${decision.due}` : null].filter(Boolean).join(" · ");
  }

  function draftView(state, data, lang) {
    if (!data) return null;
    const steps = (data.next_steps || "").split("\n").map((line) => line.trim()).filter(Boolean);
    return h("div", { class: "review-draft", lang },
      // What the facilitator concluded comes first, as on the guide's first page.
      data.conclusion ? [h("h3", { text: t("editorial.conclusion") }), h("p", { class: "review-conclusion", text: data.conclusion })] : null,
      steps.length ? [h("h3", { text: t("editorial.next_steps") }),
        h("ul", { class: "plain-list small review-next-steps" }, steps.map((step) => h("li", { text: step })))] : null,
      h("h3", { text: t("review.draft_themes") }),
      data.themes.length ? h("ol", { class: "plain-list review-themes" }, data.themes.map((theme) => h("li", { class: "review-theme" },
        h("p", { class: "review-theme-name" },
          theme.rank ? h("span", { class: "rank-badge small", text: formatNumber(theme.rank) }) : null,
          h("strong", { text: theme.name })),
        theme.synthesis ? h("p", { class: "review-synthesis", text: theme.synthesis }) : null,
        theme.decision ? [h("h4", { class: "small", text: t("editorial.decision_heading") }),
          h("p", { class: "small review-decision", text: decisionText(theme.decision) })] : null,
        theme.score !== undefined ? h("p", { class: "small muted", text: t("review.theme_score", {
          score: formatNumber(theme.score), voters: formatNumber(theme.voters) }) }) : null,
        // A theme's contributions as the guide counts them: a merged group once, with how often it was said.
        h("p", { class: "small muted", text: tn("theme.items", theme.items.length) }),
        h("ul", { class: "plain-list small review-statements" }, theme.items.map((item) => h("li", {},
          h("span", { text: item.text }),
          saidText(state, item) ? h("span", { class: "muted", text: ` (${saidText(state, item)})` }) : null))),
        (theme.proposals || []).length ? [h("h4", { class: "small", text: t("review.draft_proposals") }),
          h("ul", { class: "plain-list small review-proposals" }, theme.proposals.map((p) => h("li", { text: p.description })))] : null,
        stanceView(state, theme)))) :
        h("p", { class: "muted", text: t("review.no_themes") }),
      data.advice.length ? [h("h3", { text: t("review.draft_advice") }),
        h("ul", { class: "plain-list small review-advice" }, data.advice.map((text) => h("li", { text })))] : null);
  }

  function formView(themes) {
    const field = h("textarea", { id: "review-text", "data-key": "review-text", rows: 3, maxlength: COMMENT_MAX, value: form.text,
      "aria-describedby": "review-count", oninput: () => { form.text = field.value; if (form.status !== "sending") form.status = "idle"; } });
    const count = h("p", { id: "review-count", class: "counter" });
    counter(field, count);
    const about = h("select", { id: "review-theme", "data-key": "review-theme", onchange: () => { form.theme = about.value; } },
      h("option", { value: "", text: t("review.about_guide"), selected: !form.theme }),
      themes.map((theme) => h("option", { value: String(theme.id), text: theme.name, selected: form.theme === String(theme.id) })));
    const status = form.status === "sending" ? badge("sending", t("status.sending"))
      : form.status === "saved" ? badge("saved", t("status.saved"))
      : form.status === "failed" ? badge("failed", t("status.not_sent")) : null;
    return h("form", { class: "stack review-form", novalidate: true, onsubmit: (event) => { event.preventDefault(); send(); } },
      h("div", { class: "field" }, h("label", { class: "label", for: "review-theme", text: t("review.about") }), about),
      h("div", { class: "field" }, h("label", { class: "label", for: "review-text", text: t("review.your_comment") }), field, count),
      h("div", { class: "review-send", role: "status" }, status,
        form.error ? h("p", { class: "field-error", text: form.error }) : null),
      h("button", { type: "submit", class: "btn btn-primary", "data-key": "review-send", disabled: form.status === "sending",
                    text: form.status === "failed" && form.clientId ? t("action.retry") : t("review.send") }));
  }

  function render(state, force = false) {
    if (!state) return;
    const review = state.review || {};
    el.hidden = !review.open;
    if (!review.open) {
      opened = false;
      signature = "";
      return;
    }
    if (!opened) {
      opened = true;
      load();
      return;
    }
    const mine = review.mine || [];
    const next = JSON.stringify([draft.loading, draft.error, Boolean(draft.data), mine.map((c) => c.id), review.my_responses || []]);
    if (next === signature && !force) return;
    signature = next;
    const lang = state.workshop.language || null;
    const themes = draft.data ? draft.data.themes : state.themes;
    swap(el,
      h("h2", { id: "review-panel-heading", text: t("review.phone_heading") }),
      h("p", { text: t("review.phone_intro") }),
      draft.loading ? h("p", { class: "loading", text: t("review.loading") }) : null,
      draft.error ? h("div", { class: "notice notice-error" }, h("p", { text: draft.error }),
        h("button", { type: "button", class: "btn btn-small", text: t("action.try_again"), onclick: load })) : null,
      draftView(state, draft.data, lang),
      formView(themes),
      mine.length ? [h("h3", { text: t("review.mine") }),
        h("ul", { class: "plain-list review-mine" }, mine.map((c) => h("li", {},
          h("p", { lang, text: c.text }),
          h("p", { class: "small muted", text: c.theme ? t("review.on_theme", { theme: c.theme }) : t("review.on_guide") }))))] : null);
  }

  return { el, update: (state) => render(state) };
}
