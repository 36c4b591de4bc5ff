// The projector: a read-only, large-type view of the current phase. No controls; the join code,
// QR and link stay on screen so latecomers can always get in.

import { h, $, swap, announce, arrivals } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";
import { connectLive, visibleItems } from "./realtime.js";
import { itemMarks } from "./item-marks.js";
import { saidMark } from "./said.js";
import { resultBars, resultsChart, turnoutLine } from "./results.js";
import { presentStage, concretiseStage, themeGrid } from "./projector-present.js";
import { spotlightLabel } from "./method.js";
import { mountTimer } from "./timer.js";

const app = document.getElementById("app");
const stage = $("#stage");
const ITEM_CAP = 30;
const ADVICE_CAP = 24;
const seen = new Set();
let first = true;
const say = (message) => announce($("#announcer"), message);
const itemArrived = arrivals(say, (item) => t("announce.new_item", { text: item.text }),
  (n) => t("announce.new_items", { n: formatNumber(n) }));
let timer = 0;
const countdown = mountTimer($("#timer"), () => live.state, say, { large: true });

const live = connectLive({
  role: "projector",
  token: app.dataset.token,
  onStatus: (status) => {
    const el = $("#conn");
    el.className = `conn-pill conn-${status}`;
    el.textContent = status === "online" ? "" : t(status === "online" ? "conn.online" : status === "connecting" ? "conn.connecting" : "conn.lost");
  },
  onSnapshot: () => schedule(),
  onChange: (change, state) => {
    if (change.type === "phase.changed") {
      itemArrived.cancel();
      say(t("phase.changed", { phase: title(state, state.workshop.phase) }));
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

function render() {
  const state = live.state;
  if (!state) return;
  const phase = state.workshop.phase;
  $("#phase-name").textContent = title(state, phase);
  const step = state.workshop.phases.indexOf(phase);
  $("#phase-step").textContent = step >= 0 ? t("phase.step", { n: step + 1, total: state.workshop.phases.length }) : "";
  $("#question").lang = state.workshop.language || "";
  $("#participant-count").textContent = tn("people.count", state.participants.count);
  const views = {
    prework: collect, collect, present: (s) => presentStage(s, collect), aggregate, prioritise,
    concretise: concretiseStage, advice, closed,
  };
  swap(stage, (views[phase] || collect)(state));
  countdown.update();
  fit();
  first = false;
}

/**
 * A projector never scrolls, so nothing may be cut in half at its foot: whole cards and result
 * rows that would be are left out (the newest come first; the counts say how many there are),
 * and a theme whose items overflow its share of the screen fades out instead of stopping mid-line.
 */
function fit() {
  const bottom = stage.getBoundingClientRect().bottom + 1;
  for (const el of stage.querySelectorAll(".proj-items > li, .proj-advice > li, .result-bars > li")) {
    el.classList.toggle("proj-cut", el.getBoundingClientRect().bottom > bottom);
  }
  for (const list of stage.querySelectorAll(".proj-theme-items")) {
    list.classList.toggle("proj-overflow", list.scrollHeight > list.clientHeight + 1);
  }
}

window.addEventListener("resize", () => schedule());

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
  return [counts, h("ul", { class: "proj-items" }, items.slice(0, ITEM_CAP).map((item) => h("li", {
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
    themeGrid(state.themes.length, state.themes.map((theme) => {
      const inTheme = items.filter((item) => item.theme_id === theme.id);
      return h("li", { class: "proj-theme" },
        h("h2", { class: "proj-theme-name", lang },
          h("span", { text: theme.name }),
          h("span", { class: "proj-theme-count", text: tn("theme.items", inTheme.length) })),
        // The count is in the heading; the first items show what the theme is about.
        h("ul", { class: "proj-theme-items" }, inTheme.slice(0, 4).map((item) => h("li", { lang },
          h("span", { text: item.text }), itemMarks(state, item), saidMark(state, item)))));
    })),
    loose ? h("p", { class: "proj-note", text: tn("aggregate.ungrouped", loose) }) : null,
  ];
}

function prioritise(state) {
  if (state.workshop.results_revealed && state.results) {
    return h("div", { class: "proj-results proj-card" },
      h("h2", { class: "proj-subheading", text: t("results.heading") }), resultsChart(state.results, { limit: 10 }));
  }
  return h("div", { class: "proj-turnout proj-card" },
    h("p", { class: "proj-message", text: t({ matrix: "projector.vote_now_matrix", ranking: "projector.vote_now_ranking" }[
      state.workshop.voting.method] || "projector.vote_now") }),
    turnoutLine(state.turnout));
}

function advice(state) {
  const list = state.advice.filter((entry) => entry.text).sort((a, b) => b.id - a.id);
  const lang = state.workshop.language || null;
  if (!list.length) return h("p", { class: "proj-message", text: t("projector.waiting_advice") });
  return [
    h("p", { class: "proj-note", text: tn("advice.room", list.length) }),
    h("ul", { class: "proj-advice" }, list.slice(0, ADVICE_CAP).map((entry) => h("li", {
      class: `proj-advice-item${freshClass(`a${entry.id}:${entry.text.length}`)}`, lang, text: entry.text,
    }))),
  ];
}

function closed(state) {
  return h("div", { class: "proj-closed" },
    h("p", { class: "proj-thanks", text: t("projector.thanks") }),
    state.results && state.results.entries && state.results.entries.length
      ? h("div", { class: "proj-card" }, h("h2", { class: "proj-subheading", text: t("closed.top_themes") }),
        resultBars(state.results, { limit: 5 }))
      : null);
}
