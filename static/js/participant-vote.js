// Dot voting on the phone: the draft ballot survives re-renders and reconnects in ctx.ballot and
// is always sent whole, so a retry can never count twice.

import { h, swap, badge } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";
import { themeItems } from "./realtime.js";
import { resultsChart } from "./results.js";
import { matrixView, rankingView, voteEntries } from "./participant-vote-methods.js";

/**
 * Prioritise: the current round's method (dots, matrix or ranking). A new round, or a round of
 * another method, starts a fresh draft; what was unsent for the same round is kept.
 */
export function voteView(ctx) {
  const holder = h("div", { class: "vote-holder" });
  const title = h("p", { class: "round-title" });
  let inner = null;
  let shownRound;
  const views = { dots: dotsView, matrix: matrixView, ranking: rankingView };
  return {
    el: [title, holder],
    update(state) {
      const voting = state.workshop.voting;
      const count = (state.rounds || []).length;
      title.textContent = count > 1 && voting.title ? t("vote.round", { title: voting.title }) : "";
      if (!inner || shownRound !== voting.round_id) {
        const unsent = ctx.ballotSender.pending();
        if (shownRound !== undefined || (unsent && unsent.round_id && unsent.round_id !== voting.round_id)) {
          Object.assign(ctx.ballot, { draft: null, status: "idle", error: "" });
        }
        shownRound = voting.round_id;
        inner = (views[voting.method] || dotsView)(ctx);
        swap(holder, inner.el);
      }
      inner.update(state);
    },
  };
}

/** The revealed results of the current round, for the phone. */
export function phoneResults(state) {
  return state.workshop.results_revealed && state.results
    ? h("section", { class: "card" }, h("h2", { text: t("results.heading") }), resultsChart(state.results))
    : null;
}

/** Dot voting. The draft survives re-renders in ctx.ballot and is sent whole. */
function dotsView(ctx) {
  const ballot = ctx.ballot;
  const hint = h("p", { class: "muted" });
  const left = h("p", { class: "dots-left" });
  const rows = h("ul", { class: "vote-list" });
  const status = h("div", { class: "ballot-status", role: "status" });
  const results = h("div", { class: "vote-results" });
  const save = h("button", { type: "button", class: "btn btn-primary btn-block", text: t("vote.save"), onclick: () => submit() });
  let current = null;

  const rules = () => current.workshop.voting;
  const used = () => Object.values(ballot.draft).reduce((sum, n) => sum + n, 0);

  function adopt(state) {
    const known = new Set(voteEntries(state).map((theme) => String(theme.id)));
    const unsent = ctx.ballotSender.pending();
    if (ballot.draft === null && unsent && unsent.allocation) {
      ballot.draft = { ...unsent.allocation };
    } else if (ballot.status === "idle" || ballot.status === "saved" || ballot.draft === null) {
      const mine = state.me && state.me.ballot && !Array.isArray(state.me.ballot) ? state.me.ballot : {};
      ballot.draft = {};
      for (const [key, n] of Object.entries(mine)) if (typeof n === "number") ballot.draft[key] = n;
      if (ballot.status === "idle" && Object.values(ballot.draft).some((n) => n > 0)) ballot.status = "saved";
    }
    for (const key of Object.keys(ballot.draft)) if (!known.has(key) || !ballot.draft[key]) delete ballot.draft[key];
  }

  function change(theme, delta) {
    const key = String(theme.id);
    const have = ballot.draft[key] || 0;
    const want = have + delta;
    if (want < 0) return;
    if (delta > 0 && (want > rules().max_per_entry || used() >= rules().dots)) {
      ctx.announce(want > rules().max_per_entry
        ? t("vote.max_reached", { max: rules().max_per_entry })
        : t("vote.none_left"));
      return;
    }
    if (want) ballot.draft[key] = want;
    else delete ballot.draft[key];
    ballot.status = "dirty";
    ballot.error = "";
    render();
    ctx.announce(`${theme.name}: ${tn("vote.dots", want)}. ${leftText()}`);
  }

  function leftText() {
    return t("vote.left", { left: formatNumber(rules().dots - used()), total: formatNumber(rules().dots) });
  }

  function submit() {
    ballot.error = "";
    ctx.ballotSender.submit({ round_id: rules().round_id, allocation: { ...ballot.draft } });
    renderStatus();
  }

  function renderStatus() {
    const labels = {
      sending: t("status.sending"), pending: t("status.waiting"), saved: t("status.saved"),
      failed: t("status.not_sent"), dirty: t("status.unsaved"),
    };
    save.setAttribute("aria-disabled", ballot.status === "sending" ? "true" : "false");
    swap(status,
      labels[ballot.status] ? badge(ballot.status, labels[ballot.status]) : null,
      ballot.error ? h("p", { class: "field-error", text: ballot.error }) : null);
  }

  function render() {
    const state = current;
    const dots = rules().dots;
    const spent = used();
    swap(left,
      h("span", { class: "dot-row", "aria-hidden": "true" },
        Array.from({ length: dots }, (_, i) => h("span", { class: i < dots - spent ? "dot" : "dot dot-used" }))),
      h("span", { text: leftText() }));
    swap(rows, voteEntries(state).map((theme) => {
      const n = ballot.draft[String(theme.id)] || 0;
      const canAdd = n < rules().max_per_entry && spent < dots;
      return h("li", { class: `vote-row${n ? " vote-row-active" : ""}` },
        h("div", { class: "vote-name" },
          h("span", { lang: state.workshop.language || null, text: theme.name }),
          theme.proposal ? null
            : h("span", { class: "muted small", text: tn("theme.items", themeItems(state, theme.id).length) })),
        h("div", { class: "vote-stepper" },
          h("button", {
            type: "button", class: "btn btn-round", "data-key": `minus-${theme.id}`, "aria-disabled": n ? "false" : "true",
            "aria-label": t("vote.remove_dot", { theme: theme.name }), text: "−", onclick: () => change(theme, -1),
          }),
          h("span", { class: "vote-count" },
            h("span", { "aria-hidden": "true", text: formatNumber(n) }),
            h("span", { class: "visually-hidden", text: tn("vote.dots", n) })),
          h("button", {
            type: "button", class: "btn btn-round", "data-key": `plus-${theme.id}`, "aria-disabled": canAdd ? "false" : "true",
            "aria-label": t("vote.add_dot", { theme: theme.name }), text: "+", onclick: () => change(theme, +1),
          })));
    }));
    renderStatus();
  }

  return {
    el: [
      results,
      h("div", { class: "card" },
        h("h2", { text: t("vote.heading") }),
        hint, left, rows, save, status),
    ],
    update(state) {
      current = state;
      adopt(state);
      hint.textContent = t("vote.rules", { dots: state.workshop.voting.dots, max: state.workshop.voting.max_per_entry });
      render();
      swap(results, phoneResults(state));
    },
  };
}
