// The validation round on the console: open the draft guide to the participants' phones, read
// their comments as they arrive, close the round, and finalise the guide (which closes the
// workshop). Finalising asks twice, on the page itself, so it is never one slip of the mouse.

import { h, swap } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";

export function reviewCard(ctx) {
  const status = h("p", { class: "review-status", id: "review-status" });
  const actions = h("div", { class: "review-actions" });
  const count = h("span", { class: "count-pill", id: "review-count" });
  const list = h("ol", { class: "plain-list review-comments", "aria-labelledby": "review-comments-heading" });
  const agreement = h("ul", { class: "plain-list review-agreement", id: "review-agreement", "aria-labelledby": "review-agreement-heading" });
  const el = h("section", { class: "card panel review-card", id: "review-card", "aria-labelledby": "review-heading" },
    h("h2", { id: "review-heading", text: t("review.heading") }),
    h("p", { class: "hint", text: t("review.explain") }),
    status, actions,
    h("h3", { id: "review-agreement-heading", text: t("review.agreement_heading") }),
    agreement,
    h("h3", { id: "review-comments-heading", class: "review-comments-heading" }, t("review.comments"), " ", count),
    list);
  let confirming = false;
  let signature = "";

  async function send(event, payload, done) {
    const ack = await ctx.act(event, payload);
    if (ack && ack.ok) {
      confirming = false;
      signature = "";
      if (done) ctx.announce(done);
    }
  }

  function renderActions(review, closed) {
    if (review.finalised || closed) {
      swap(actions, null);
      return;
    }
    if (confirming) {
      swap(actions,
        h("p", { class: "small", text: t("review.finalise_confirm_text") }),
        h("button", { type: "button", class: "btn btn-primary btn-small", id: "review-finalise-yes", text: t("review.finalise_confirm"),
                      onclick: () => send("review.finalise", {}, t("review.finalised")) }),
        h("button", { type: "button", class: "btn btn-quiet btn-small", text: t("action.cancel"),
                      onclick: () => { confirming = false; signature = ""; render(last); } }));
      actions.querySelector("#review-finalise-yes").focus();
      return;
    }
    swap(actions,
      h("button", { type: "button", class: `btn btn-small${review.open ? "" : " btn-primary"}`, id: "review-toggle", "data-key": "review-toggle",
                    text: review.open ? t("review.close") : t("review.open"),
                    onclick: () => send("review.open", { open: !review.open },
                                        review.open ? t("review.closed_announce") : t("review.opened_announce")) }),
      h("button", { type: "button", class: "btn btn-small", id: "review-finalise", "data-key": "review-finalise", text: t("review.finalise"),
                    onclick: () => { confirming = true; signature = ""; render(last); } }));
  }

  // What was done with a comment: the guide's validation section reports it beside the comment.
  function handlingSelect(comment) {
    const id = `review-handling-${comment.id}`;
    const select = h("select", { id, "data-key": id, onchange: () => send("comment.handle",
      { comment_id: comment.id, handling: select.value || null }, t("status.saved")) },
      h("option", { value: "", text: t("review.handling_none"), selected: !comment.handling }),
      ["accepted", "changed", "noted"].map((key) => h("option", { value: key, text: t(`review.handling.${key}`),
                                                                  selected: comment.handling === key })));
    return h("div", { class: "field field-inline" }, h("label", { class: "label small", for: id, text: t("review.handling") }), select);
  }

  function agreementView(state, responses) {
    const counts = new Map(responses.map((r) => [r.theme_id, r]));
    const themes = (state.themes || []).filter((theme) => counts.has(theme.id));
    if (!themes.length) return h("li", { class: "muted", text: t("review.no_responses") });
    return themes.map((theme) => {
      const entry = counts.get(theme.id);
      return h("li", { class: "review-agreement-theme", "data-theme": String(theme.id) },
        h("strong", { text: theme.name }), " ",
        h("span", { text: t("review.agreement", { agree: formatNumber(entry.agree), disagree: formatNumber(entry.disagree) }) }));
    });
  }

  let last = null;
  function render(state) {
    if (!state) return;
    last = state;
    const review = state.review || { open: false, finalised: false, comments: [] };
    const comments = review.comments || [];
    const next = JSON.stringify([review.open, review.finalised, state.workshop.phase, confirming,
                                 comments.map((c) => [c.id, c.handling]), review.responses || [],
                                 (state.themes || []).map((theme) => [theme.id, theme.name])]);
    if (next === signature) return;
    signature = next;
    status.textContent = review.finalised ? t("review.state_final")
      : review.open ? t("review.state_open") : t("review.state_closed");
    renderActions(review, state.workshop.phase === "closed" && !review.open);
    const focused = list.contains(document.activeElement) ? document.activeElement.id : "";
    count.textContent = formatNumber(comments.length);
    count.setAttribute("aria-label", tn("review.count", comments.length));
    swap(list,
      comments.length ? null : h("li", { class: "muted", text: t("review.no_comments") }),
      comments.map((c) => h("li", { class: "review-comment" },
        h("p", { lang: state.workshop.language || null, text: c.text }),
        h("p", { class: "small muted", text: c.theme ? t("review.on_theme", { theme: c.theme }) : t("review.on_guide") }),
        handlingSelect(c))));
    swap(agreement, agreementView(state, review.responses || []));
    if (focused) list.querySelector(`#${focused}`)?.focus();  // a re-render keeps the select in hand
  }

  return { el, update: render };
}
