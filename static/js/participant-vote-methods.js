// The phone's ballots for the matrix (impact and feasibility, 1 to 5, per entry) and for ranking
// (an ordered list moved with buttons, never by dragging). Each is a whole ballot, sent whole.

import { h, swap, badge } from "./dom.js";
import { t, formatNumber } from "./i18n.js";
import { phoneResults } from "./participant-vote.js";

/** What the current round votes on, each as {id, name}: the themes, or (a round on the proposed
 * support) the proposals, named by what they propose. */
export function voteEntries(state) {
  const round = (state.rounds || []).find((r) => r.current);
  if (round && round.target === "proposals") {
    return (state.proposals || []).map((p) => ({ id: p.id, name: p.description, proposal: true }));
  }
  return state.themes;
}

const SCALE = [1, 2, 3, 4, 5];

function statusPart(ballot, save, status) {
  const labels = {
    sending: t("status.sending"), pending: t("status.waiting"), saved: t("status.saved"),
    failed: t("status.not_sent"), dirty: t("status.unsaved"),
  };
  save.setAttribute("aria-disabled", ballot.status === "sending" ? "true" : "false");
  swap(status,
    labels[ballot.status] ? badge(ballot.status, labels[ballot.status]) : null,
    ballot.error ? h("p", { class: "field-error", text: ballot.error }) : null);
}

function shell(ctx, heading, hintText, body, onSave) {
  const status = h("div", { class: "ballot-status", role: "status" });
  const save = h("button", { type: "button", class: "btn btn-primary btn-block", text: t("vote.save"), onclick: onSave });
  const results = h("div", { class: "vote-results" });
  const el = [results, h("div", { class: "card" }, h("h2", { text: heading }),
    h("p", { class: "muted", text: hintText }), body, save, status)];
  return { el, status, save, results };
}

function unsentFor(ctx, state, field) {
  const unsent = ctx.ballotSender.pending();
  return unsent && unsent[field] && (!unsent.round_id || unsent.round_id === state.workshop.voting.round_id)
    ? unsent[field] : null;
}

/** Matrix: two radio groups (impact, feasibility) per entry; an entry may be left unrated. */
export function matrixView(ctx) {
  const ballot = ctx.ballot;
  const list = h("ul", { class: "vote-list" });
  let current = null;
  const parts = shell(ctx, t("vote.matrix.heading"), t("vote.matrix.rules"), list, () => submit());

  function adopt(state) {
    const known = new Set(voteEntries(state).map((theme) => String(theme.id)));
    const unsent = unsentFor(ctx, state, "ratings");
    if (ballot.draft === null && unsent) ballot.draft = JSON.parse(JSON.stringify(unsent));
    else if (ballot.status === "idle" || ballot.status === "saved" || ballot.draft === null) {
      const mine = state.me && state.me.ballot && !Array.isArray(state.me.ballot) ? state.me.ballot : {};
      ballot.draft = {};
      for (const [key, value] of Object.entries(mine)) if (value && value.impact) ballot.draft[key] = { ...value };
      if (ballot.status === "idle" && Object.keys(ballot.draft).length) ballot.status = "saved";
    }
    for (const key of Object.keys(ballot.draft)) if (!known.has(key)) delete ballot.draft[key];
  }

  function choose(theme, axis, value) {
    const key = String(theme.id);
    ballot.draft[key] = { ...(ballot.draft[key] || {}), [axis]: value };
    ballot.status = "dirty";
    ballot.error = "";
    render();
  }

  function clear(theme) {
    delete ballot.draft[String(theme.id)];
    ballot.status = "dirty";
    render();
    ctx.announce(t("vote.matrix.cleared", { theme: theme.name }));
  }

  function submit() {
    const ratings = {};
    const incomplete = [];
    for (const theme of voteEntries(current)) {
      const r = ballot.draft[String(theme.id)];
      if (r && r.impact && r.feasibility) ratings[String(theme.id)] = { impact: r.impact, feasibility: r.feasibility };
      else if (r) incomplete.push(theme.name);
    }
    if (incomplete.length) {
      ballot.status = "failed";
      ballot.error = t("vote.matrix.incomplete", { theme: incomplete[0] });
      statusPart(ballot, parts.save, parts.status);
      return;
    }
    ballot.error = "";
    ctx.ballotSender.submit({ round_id: current.workshop.voting.round_id, ratings });
    statusPart(ballot, parts.save, parts.status);
  }

  function group(theme, axis, legend) {
    const chosen = (ballot.draft[String(theme.id)] || {})[axis];
    return h("fieldset", { class: "rating" },
      h("legend", { class: "rating-legend", text: legend }),
      h("div", { class: "rating-scale" }, SCALE.map((n) => {
        const id = `r-${axis}-${theme.id}-${n}`;
        return h("span", { class: "rating-option" },
          h("input", { type: "radio", id, name: `r-${axis}-${theme.id}`, value: String(n), checked: chosen === n,
            "data-key": id, onchange: () => choose(theme, axis, n) }),
          h("label", { for: id, text: formatNumber(n) }));
      })));
  }

  function render() {
    swap(list, voteEntries(current).map((theme) => {
      const rated = ballot.draft[String(theme.id)];
      return h("li", { class: `vote-row vote-row-matrix${rated ? " vote-row-active" : ""}` },
        h("div", { class: "vote-name" }, h("span", { lang: current.workshop.language || null, text: theme.name })),
        group(theme, "impact", t("vote.matrix.impact_for", { theme: theme.name })),
        group(theme, "feasibility", t("vote.matrix.feasibility_for", { theme: theme.name })),
        rated ? h("button", { type: "button", class: "btn btn-link", "data-key": `clear-${theme.id}`,
          text: t("vote.matrix.clear"), "aria-label": t("vote.matrix.clear_for", { theme: theme.name }),
          onclick: () => clear(theme) }) : null);
    }));
    statusPart(ballot, parts.save, parts.status);
  }

  return {
    el: parts.el,
    update(state) {
      current = state;
      adopt(state);
      render();
      swap(parts.results, phoneResults(state));
    },
  };
}

/** Ranking: the entries one ranks, best first, moved up and down with buttons. */
export function rankingView(ctx) {
  const ballot = ctx.ballot;
  const ranked = h("ol", { class: "rank-list", "aria-label": t("vote.ranking.mine") });
  const rest = h("ul", { class: "vote-list" });
  let current = null;
  const body = h("div", {}, h("h3", { class: "small-heading", text: t("vote.ranking.mine") }), ranked,
    h("h3", { class: "small-heading", text: t("vote.ranking.unranked") }), rest);
  const parts = shell(ctx, t("vote.ranking.heading"), t("vote.ranking.rules"), body, () => submit());

  function adopt(state) {
    const known = new Set(voteEntries(state).map((theme) => theme.id));
    const unsent = unsentFor(ctx, state, "ranking");
    if (ballot.draft === null && unsent) ballot.draft = unsent.slice();
    else if (ballot.status === "idle" || ballot.status === "saved" || ballot.draft === null) {
      ballot.draft = Array.isArray(state.me && state.me.ballot) ? state.me.ballot.slice() : [];
      if (ballot.status === "idle" && ballot.draft.length) ballot.status = "saved";
    }
    if (!Array.isArray(ballot.draft)) ballot.draft = [];
    ballot.draft = ballot.draft.filter((id) => known.has(id));
  }

  const nameOf = (id) => (voteEntries(current).find((theme) => theme.id === id) || {}).name || "";

  function edit(next, message, focusKey) {
    ballot.draft = next;
    ballot.status = "dirty";
    ballot.error = "";
    render();
    if (focusKey) {
      const target = parts.el[1].querySelector(`[data-key="${focusKey}"]`);
      if (target) target.focus();
    }
    ctx.announce(message);
  }

  function move(id, delta) {
    const list = ballot.draft.slice();
    const at = list.indexOf(id);
    const to = at + delta;
    if (to < 0 || to >= list.length) return;
    [list[at], list[to]] = [list[to], list[at]];
    edit(list, t("vote.ranking.moved", { theme: nameOf(id), position: formatNumber(to + 1) }),
      `${delta < 0 ? "up" : "down"}-${id}`);
  }

  function submit() {
    ballot.error = "";
    ctx.ballotSender.submit({ round_id: current.workshop.voting.round_id, ranking: ballot.draft.slice() });
    statusPart(ballot, parts.save, parts.status);
  }

  function render() {
    const list = ballot.draft;
    swap(ranked, list.length ? list.map((id, index) => h("li", { class: "vote-row vote-row-active" },
      h("span", { class: "rank-position", "aria-hidden": "true", text: formatNumber(index + 1) }),
      h("span", { class: "vote-name", lang: current.workshop.language || null, text: nameOf(id) }),
      h("span", { class: "vote-stepper" },
        h("button", { type: "button", class: "btn btn-round", "data-key": `up-${id}`, text: "↑",
          "aria-disabled": index ? "false" : "true", "aria-label": t("vote.ranking.up", { theme: nameOf(id) }),
          onclick: () => move(id, -1) }),
        h("button", { type: "button", class: "btn btn-round", "data-key": `down-${id}`, text: "↓",
          "aria-disabled": index < list.length - 1 ? "false" : "true",
          "aria-label": t("vote.ranking.down", { theme: nameOf(id) }), onclick: () => move(id, +1) }),
        h("button", { type: "button", class: "btn btn-round", "data-key": `out-${id}`, text: "×",
          "aria-label": t("vote.ranking.remove", { theme: nameOf(id) }),
          onclick: () => edit(list.filter((other) => other !== id), t("vote.ranking.removed", { theme: nameOf(id) })) }))))
      : h("li", { class: "muted", text: t("vote.ranking.none") }));
    const unranked = voteEntries(current).filter((theme) => !list.includes(theme.id));
    swap(rest, unranked.length ? unranked.map((theme) => h("li", { class: "vote-row" },
      h("span", { class: "vote-name", lang: current.workshop.language || null, text: theme.name }),
      h("button", { type: "button", class: "btn", "data-key": `add-${theme.id}`, text: t("vote.ranking.add"),
        "aria-label": t("vote.ranking.add_for", { theme: theme.name }),
        onclick: () => edit(list.concat([theme.id]),
          t("vote.ranking.moved", { theme: theme.name, position: formatNumber(list.length + 1) }), `up-${theme.id}`) })))
      : h("li", { class: "muted", text: t("vote.ranking.all") }));
    statusPart(ballot, parts.save, parts.status);
  }

  return {
    el: parts.el,
    update(state) {
      current = state;
      adopt(state);
      render();
      swap(parts.results, phoneResults(state));
    },
  };
}
