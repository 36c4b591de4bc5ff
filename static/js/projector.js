// The projector: a read-only, large-type view of the current phase. No controls; the join code,
// QR and link stay on screen while the room is joining, smaller once it has, and go when joining
// is closed or the workshop is over. Long lists page (projector-pager.js); nothing is cut.

import { h, $, swap, announce, arrivals } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";
import { connectLive, visibleItems } from "./realtime.js";
import { itemMarks } from "./item-marks.js";
import { saidMark } from "./said.js";
import { matrixChart, resultBars, turnoutLine } from "./results.js";
import { presentStage, concretiseStage, themeCard } from "./projector-present.js";
import { spotlightLabel } from "./method.js";
import { mountTimer } from "./timer.js";
import { makePager, fitQuestion } from "./projector-pager.js";

const app = document.getElementById("app");
const stage = $("#stage");
const pager = makePager(stage);
const ITEM_CAP = 60;
const seen = new Set();
let first = true;
const say = (message) => announce($("#announcer"), message);
const itemArrived = arrivals(say, (item) => t("announce.new_item", { text: item.text }),
  (n) => t("announce.new_items", { n: formatNumber(n) }));
let timer = 0;
const countdown = mountTimer($("#timer"), () => live.state, say, { large: true });
/** Phases in which the room is still arriving: the join panel is full size. */
const JOINING_PHASES = ["prework", "collect"];

const live = connectLive({
  role: "projector",
  token: app.dataset.token,
  onStatus: (status) => {
    const el = $("#conn");
    el.className = `conn-pill conn-${status}`;
    el.textContent = status === "online" ? "" : t(status === "connecting" ? "conn.connecting" : "conn.lost");
  },
  onSnapshot: () => schedule(),
  onChange: (change, state) => {
    if (change.type === "phase.changed") {
      itemArrived.cancel();
      say(t("phase.changed", { phase: title(state, state.workshop.phase) }));
    }
    if (change.type === "joining.changed" && change.data && change.data.joining) {
      state.workshop.joining_open = Boolean(change.data.joining.open);
    }
    if (change.type === "item.added" && change.data && change.data.item && !change.data.item.hidden) {
      itemArrived(change.data.item);
    }
    if (change.type === "spotlight.changed" && state.spotlight) {
      say(t("present.now_announce", { who: spotlightLabel(state, state.spotlight) }));
    }
    schedule();
  },
  onRefused: (error) => swap(stage, h("p", { class: "proj-message", role: "alert", text: error.message || t("error.generic") })),
});

function schedule() {
  if (timer) return;
  timer = window.setTimeout(() => {
    timer = 0;
    window.requestAnimationFrame(render);
  }, 150);
}

function title(state, phase) {
  return state.workshop.phase_titles[phase] || phase;
}

function laneName(state, key) {
  const lane = state.lanes.find((l) => l.key === key);
  return lane ? lane.name : key;
}

/** Items not shown before get a gentle highlight (no animation under prefers-reduced-motion). */
function freshClass(id) {
  if (seen.has(id)) return "";
  seen.add(id);
  return first ? "" : " fresh";
}

/** Which view is up: a new one starts at its first page. */
function viewKey(state) {
  const spot = state.spotlight;
  const who = spot ? `${spot.mode}:${spot.lane || ""}:${spot.ordinal || ""}:${spot.paper ? "p" : ""}` : "";
  return `${state.workshop.phase}|${state.workshop.results_revealed ? "r" : ""}|${who}`;
}

function render() {
  const state = live.state;
  if (!state) return;
  const phase = state.workshop.phase;
  $("#phase-name").textContent = title(state, phase);
  const step = state.workshop.phases.indexOf(phase);
  $("#phase-step").textContent = step >= 0 ? t("phase.step", { n: step + 1, total: state.workshop.phases.length }) : "";
  $("#question").lang = state.workshop.language || "";
  $("#participant-count").textContent = tn("people.count", state.participants.count);
  const joinable = phase !== "closed" && state.workshop.joining_open !== false;
  app.dataset.join = !joinable ? (phase === "closed" ? "none" : "closed")
    : JOINING_PHASES.includes(phase) ? "full" : "compact";
  $("#join-box").hidden = !joinable;
  const views = {
    prework: collect, collect, present: (s) => presentStage(s, collect), aggregate, prioritise,
    concretise: concretiseStage, advice, closed,
  };
  swap(stage, (views[phase] || collect)(state));
  countdown.update();
  $(".proj-join").hidden = phase === "closed" && $("#timer").hidden;
  fitQuestion($("#question"), !JOINING_PHASES.includes(phase));
  pager.lay(viewKey(state));
  first = false;
}

window.addEventListener("resize", () => schedule());

// A presenter remote or the facilitator's keyboard turns the pages.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest && event.target.closest("a, button, input, select, textarea")) return;
  const forward = ["ArrowRight", "ArrowDown", "PageDown", " "].includes(event.key);
  const back = ["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key);
  if (!forward && !back) return;
  if (forward ? pager.next() : pager.previous()) event.preventDefault();
});

function collect(state) {
  const items = visibleItems(state).sort((a, b) => b.id - a.id);
  const lang = state.workshop.language || null;
  const counts = h("ul", { class: "proj-counts" }, state.lanes.map((lane) => h("li", {},
    h("span", { class: "proj-count-num", text: formatNumber(items.filter((i) => i.lane === lane.key).length) }),
    h("span", { text: lane.name }))));
  if (!items.length) {
    return h("div", { class: "proj-empty" },
      h("p", { class: "proj-message", text: t("projector.waiting_items") }),
      h("ol", { class: "proj-steps" }, ["projector.step_scan", "projector.step_perspective", "projector.step_write"]
        .map((key) => h("li", { text: t(key) }))));
  }
  return [counts, h("ul", { class: "proj-items", "data-paged": "newest", "data-total": items.length }, items.slice(0, ITEM_CAP).map((item) => h("li", {
    class: `proj-item lane-${state.lanes.findIndex((l) => l.key === item.lane)}${freshClass(item.id)}`,
  },
  h("span", { class: "proj-lane", text: laneName(state, item.lane) }),
  itemMarks(state, item, { paper: true }),
  h("span", { class: "proj-text", lang, text: item.text }),
  saidMark(state, item))))];
}

function aggregate(state) {
  const items = visibleItems(state);
  const lang = state.workshop.language || null;
  if (!state.themes.length) return h("p", { class: "proj-message", text: t("projector.waiting_themes") });
  const loose = items.filter((item) => !item.theme_id).length;
  return [
    loose ? h("p", { class: "proj-note", text: tn("aggregate.ungrouped", loose) }) : null,
    // An overview: each item in two lines at most (ending in "…"; Present showed them whole), so
    // a page holds six themes or so, each with what it is about.
    h("ul", { class: "proj-themes proj-themes-overview", "data-paged": "cards", "data-card-em": "11" }, state.themes.map((theme) => {
      const inTheme = items.filter((item) => item.theme_id === theme.id);
      return themeCard(theme.name, tn("theme.items", inTheme.length), lang,
        inTheme.map((item) => h("li", { lang }, h("span", { class: "proj-clamp", text: item.text }),
          itemMarks(state, item), saidMark(state, item))));
    })),
  ];
}

function prioritise(state) {
  if (state.workshop.results_revealed && state.results) {
    const results = state.results;
    return h("div", { class: "proj-results proj-fill" },
      h("h2", { class: "proj-subheading", text: t("results.heading") }),
      results.paper_voters ? h("p", { class: "proj-note", text: tn("results.paper_voters", results.paper_voters) }) : null,
      results.method === "matrix"
        // The 2x2 beside the ranked rows (whose numbers it marks), never below them.
        ? h("div", { class: "proj-matrix-row" }, matrixChart(results), paged(resultBars(results)))
        : paged(resultBars(results)));
  }
  const turnout = state.turnout || {};
  const everyone = turnout.participants > 0 && turnout.voted >= turnout.participants;
  return h("div", { class: "proj-turnout proj-card" },
    h("p", { class: "proj-message", text: everyone ? t("projector.all_voted") : t({
      matrix: "projector.vote_now_matrix", ranking: "projector.vote_now_ranking" }[state.workshop.voting.method] || "projector.vote_now") }),
    turnoutLine(state.turnout));
}

/** Result rows page like cards: whole rows, "page 1 of 2". */
function paged(list) {
  if (list.tagName === "OL") list.dataset.paged = "rows";
  return list;
}

function advice(state) {
  const list = state.advice.filter((entry) => entry.text).sort((a, b) => b.id - a.id);
  const lang = state.workshop.language || null;
  if (!list.length) return h("p", { class: "proj-message", text: t("projector.waiting_advice") });
  return [
    h("p", { class: "proj-note", text: tn("advice.room", list.length) }),
    h("ul", { class: "proj-advice", "data-paged": "flow" }, list.map((entry) => h("li", {
      class: `proj-advice-item${freshClass(`a${entry.id}:${entry.text.length}`)}`, lang, text: entry.text,
    }))),
  ];
}

function closed(state) {
  const top = state.results && state.results.entries && state.results.entries.length;
  return h("div", { class: "proj-closed proj-fill" },
    h("p", { class: "proj-thanks", text: t("projector.thanks") }),
    top ? h("h2", { class: "proj-subheading", text: t("closed.top_themes") }) : null,
    top ? paged(resultBars(state.results, { limit: 5 })) : null);
}
