// The console's voting rounds: each round's method, rules and live turnout, making one current,
// revealing one's results, creating a new round, and entering a paper ballot for someone
// without a phone. Forms are built once and kept, so live updates never reset what is typed.

import { h, swap, uuid } from "./dom.js";
import { t, formatNumber } from "./i18n.js";

const METHODS = ["dots", "matrix", "ranking"];

function rulesText(round) {
  if (round.method === "matrix") return t("rounds.rules.matrix");
  if (round.method === "ranking") return t("rounds.rules.ranking");
  return t("results.rules", { dots: round.dots, max: round.max_per_entry });
}

function field(id, label, input) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input);
}

export function roundsPanel(ctx) {
  const list = h("ul", { class: "plain-list round-list" });
  const method = h("select", { id: "round-method", "data-key": "round-method" },
    METHODS.map((m) => h("option", { value: m, text: t(`rounds.method.${m}`) })));
  const title = h("input", { id: "round-title", type: "text", maxlength: "120", autocomplete: "off" });
  // What the round votes on: the themes, or (later in the method) the support proposed for them.
  const target = h("select", { id: "round-target", "data-key": "round-target" },
    ["themes", "proposals"].map((k) => h("option", { value: k, text: t(`rounds.target.${k}`) })));
  const dots = h("input", { id: "round-dots", type: "number", min: "1", max: "50", value: "5", inputmode: "numeric" });
  const most = h("input", { id: "round-max", type: "number", min: "1", max: "50", value: "3", inputmode: "numeric" });
  const dotRules = h("div", { class: "field-row" }, field("round-dots", t("rounds.dots"), dots),
    field("round-max", t("rounds.max"), most));
  method.addEventListener("change", () => { dotRules.hidden = method.value !== "dots"; });
  const form = h("form", { class: "round-form", novalidate: true },
    h("h3", { class: "small-heading", text: t("rounds.new") }),
    field("round-method", t("rounds.method"), method), field("round-target", t("rounds.target"), target),
    field("round-title", t("rounds.title"), title), dotRules,
    h("button", { type: "submit", class: "btn", text: t("rounds.create") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = { method: method.value, target: target.value, title: title.value.trim() || null };
    if (method.value === "dots") Object.assign(payload, { dots: Number(dots.value), max_per_entry: Number(most.value) });
    const ack = await ctx.act("round.create", payload);
    if (ack && ack.ok) {
      title.value = "";
      ctx.announce(t("rounds.created", { title: (ack.voting && ack.voting.title) || "" }));
    }
  });

  const paper = paperForm(ctx);
  const el = h("section", { class: "card panel", "aria-labelledby": "rounds-heading" },
    h("h2", { id: "rounds-heading", tabindex: "-1", text: t("rounds.heading") }), list, form, paper.el);

  return {
    el,
    update(state) {
      const rounds = state.rounds || [];
      swap(list, rounds.map((round) => h("li", { class: `round${round.current ? " round-current" : ""}` },
        h("p", { class: "round-name" },
          h("strong", { text: round.title }), " · ", t(`rounds.method.${round.method}`),
          round.current ? h("span", { class: "count-pill", text: t("rounds.current") }) : null),
        h("p", { class: "muted small", text: rulesText(round) }),
        h("p", { class: "small", text: t("rounds.voted", {  // the current round's turnout is live
          voted: formatNumber((round.current && state.turnout ? state.turnout.voted : round.voted) || 0),
          total: formatNumber(state.turnout ? state.turnout.participants : state.participants.count) }) }),
        h("div", { class: "button-row" },
          round.current ? null : h("button", { type: "button", class: "btn", "data-key": `current-${round.id}`,
            text: t("rounds.make_current"), "aria-label": t("rounds.make_current_for", { title: round.title }),
            onclick: () => ctx.act("round.current", { round_id: round.id }) }),
          // The current round is revealed from the results panel; earlier rounds from here.
          round.current ? null : h("button", { type: "button", class: "btn", "data-key": `reveal-${round.id}`,
            text: round.revealed ? t("results.hide") : t("results.reveal"),
            "aria-label": t(round.revealed ? "rounds.hide_for" : "rounds.reveal_for", { title: round.title }),
            onclick: () => ctx.act("results.reveal", { revealed: !round.revealed, round_id: round.id }) })))));
      paper.update(state);
    },
  };
}

/** A paper ballot, in the current round's method, under a label ("Paper 3"). */
function paperForm(ctx) {
  const label = h("input", { id: "paper-label", type: "text", maxlength: "60", autocomplete: "off", required: true });
  const perspective = h("select", { id: "paper-perspective" });
  const entries = h("div", { class: "paper-entries" });
  const el = h("form", { class: "round-form", novalidate: true },
    h("h3", { class: "small-heading", text: t("paper_ballot.heading") }),
    h("p", { class: "muted small", text: t("paper_ballot.hint") }),
    field("paper-label", t("paper_ballot.label"), label),
    field("paper-perspective", t("paper_ballot.perspective"), perspective),
    entries,
    h("button", { type: "submit", class: "btn", text: t("paper_ballot.save") }));
  let shapeKey = "";
  let state = null;
  let count = 0;

  function build() {
    const voting = state.workshop.voting;
    const inputs = state.themes.map((theme) => {
      if (voting.method === "matrix") {
        const pick = (axis) => h("select", { id: `paper-${axis}-${theme.id}`, "data-theme": String(theme.id), "data-axis": axis },
          h("option", { value: "", text: "–" }), [1, 2, 3, 4, 5].map((n) => h("option", { value: String(n), text: formatNumber(n) })));
        return h("fieldset", { class: "paper-entry" }, h("legend", { text: theme.name }),
          field(`paper-impact-${theme.id}`, t("results.axis.impact"), pick("impact")),
          field(`paper-feasibility-${theme.id}`, t("results.axis.feasibility"), pick("feasibility")));
      }
      const id = `paper-${theme.id}`;
      const input = h("input", { id, type: "number", min: voting.method === "ranking" ? "1" : "0", inputmode: "numeric",
        "data-theme": String(theme.id) });
      return field(id, voting.method === "ranking" ? t("paper_ballot.position", { theme: theme.name })
        : t("paper_ballot.dots", { theme: theme.name }), input);
    });
    swap(entries, inputs);
  }

  function ballot() {
    const method = state.workshop.voting.method;
    if (method === "matrix") {
      const ratings = {};
      for (const select of entries.querySelectorAll("select[data-axis]")) {
        if (!select.value) continue;
        ratings[select.dataset.theme] = { ...(ratings[select.dataset.theme] || {}), [select.dataset.axis]: Number(select.value) };
      }
      return { ratings };
    }
    const values = [...entries.querySelectorAll("input[data-theme]")].filter((input) => input.value !== "")
      .map((input) => [Number(input.dataset.theme), Number(input.value)]);
    if (method === "ranking") return { ranking: values.sort((a, b) => a[1] - b[1]).map(([id]) => id) };
    return { allocation: Object.fromEntries(values.map(([id, n]) => [String(id), n])) };
  }

  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = { client_id: uuid(), label: label.value.trim(),
      perspective: perspective.value || null, round_id: state.workshop.voting.round_id, ...ballot() };
    const ack = await ctx.act("ballot.paper", payload);
    if (ack && ack.ok) {
      count += 1;
      label.value = t("paper_ballot.default_label", { n: formatNumber(count + 1) });
      for (const input of entries.querySelectorAll("input, select")) input.value = "";
      ctx.announce(t("paper_ballot.saved"));
    }
  });

  return {
    el,
    update(next) {
      state = next;
      const key = JSON.stringify([next.workshop.voting.round_id, next.workshop.voting.method,
        next.themes.map((theme) => [theme.id, theme.name]), next.perspectives]);
      if (key === shapeKey) return;
      shapeKey = key;
      swap(perspective, h("option", { value: "", text: t("paper_ballot.no_perspective") }),
        next.perspectives.map((p) => h("option", { value: p.key, text: p.name })));
      if (!label.value) label.value = t("paper_ballot.default_label", { n: formatNumber(count + 1) });
      build();
    },
  };
}
