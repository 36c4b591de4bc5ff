// The facilitator console: phase control, live panels, the paper-note form and the links.
// Every action is a socket event with an ack; a refusal is shown in one visible alert.

import { h, $, swap, announce, arrivals, uuid, counter } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";
import { connectLive, errorMessage } from "./realtime.js";
import { itemsPanel, themesPanel, resultsPanel, advicePanel } from "./console-panels.js";
import { reviewCard } from "./console-review.js";
import { editorialPanel } from "./console-editorial.js";
import { preworkPanel, presentPanel, proposalsPanel, timerCard } from "./console-method.js";
import { spotlightLabel } from "./method.js";
import { setupPanel, paperExtras } from "./console-setup.js";
import { moderationPanel } from "./console-moderation.js";
import { aggregatePanel } from "./console-aggregate.js";
import { suggestionsPanel } from "./console-suggestions.js";
import { roundsPanel } from "./console-rounds.js";
import { guideDownloads } from "./downloads.js";
import { joiningControl } from "./console-joining.js";
import { applyJoining } from "./live-state.js";
import { setSuggestions } from "./suggestions-store.js";
import { foldSuggestions } from "./console-layout.js";

const app = document.getElementById("app");
const panelsEl = $("#panels");
const alertEl = $("#alert");
const connEl = $("#conn");
const showAll = $("#show-all");

const LAYOUT = {
  prework: ["prework", "items", "themes"],
  collect: ["items", "themes"],
  present: ["present", "items"],
  aggregate: ["suggestions", "aggregate"],
  prioritise: ["results", "rounds", "themes"],
  concretise: ["proposals", "results", "rounds", "themes"],
  advice: ["advice", "editorial", "results"],
  closed: ["editorial", "results", "advice", "themes"],
};
const ALL = ["items", "themes", "results", "rounds", "advice", "aggregate", "suggestions", "editorial"];

const ctx = {
  announce: (message) => announce($("#announcer"), message),
  act,
  moved,
  refresh: () => schedule(),
};
guideDownloads(document.body, ctx.announce);
const panels = {
  items: itemsPanel(ctx),
  themes: themesPanel(ctx),
  results: resultsPanel(ctx),
  advice: advicePanel(ctx),
  prework: preworkPanel(ctx),
  present: presentPanel(ctx),
  proposals: proposalsPanel(ctx),
  aggregate: aggregatePanel(ctx),
  suggestions: suggestionsPanel(ctx),
  rounds: roundsPanel(ctx),
  editorial: editorialPanel(ctx),
};
foldSuggestions(panels.suggestions.el);
const review = reviewCard(ctx);
$("#review-slot").replaceWith(review.el);
const timerPanel = timerCard(ctx, () => live.state);
$("#timer-slot").replaceChildren(timerPanel.el);
const itemArrived = arrivals(ctx.announce, (item) => t("announce.new_item", { text: item.text }),
  (n) => t("announce.new_items", { n: formatNumber(n) }), 1500,
  (item) => (live.state?.items || []).some((held) => held.id === item.id && !held.hidden));
// Set-up and moderation live in the side column, in every phase.
const setup = setupPanel(ctx);
const moderation = moderationPanel(ctx);
const paper = paperExtras($("#paper-extras"));
$("#tools").append(setup.el, moderation.el);
let busy = false;
let layoutKey = "";
let timer = 0;
let lastRender = 0;

const live = connectLive({
  role: "facilitator",
  token: app.dataset.token,
  onStatus: (status) => {
    connEl.className = `conn-pill conn-${status}`;
    connEl.textContent = t(status === "online" ? "conn.online" : status === "connecting" ? "conn.connecting" : "conn.lost");
  },
  onSnapshot: () => schedule(),
  onChange: (change, state) => {
    if (change.type === "phase.changed") {
      itemArrived.cancel();
      ctx.announce(t("phase.changed", { phase: title(state, state.workshop.phase) }));
    }
    if (change.type === "item.added" && change.data && change.data.item) itemArrived(change.data.item);
    if (change.type === "comment.added") ctx.announce(t("review.new_comment"));
    if (change.type === "editorial.changed") panels.editorial.changed(change);
    if (change.type === "spotlight.changed" && state.spotlight) {
      ctx.announce(t("present.now_announce", { who: spotlightLabel(state, state.spotlight) }));
    }
    schedule();
  },
  onRefused: (error) => showAlert(error.message || t("error.generic")),
});
const joining = joiningControl(ctx, () => live.state);
// Fresh grouping suggestions, pushed after every change that can alter them (the console's alone).
live.socket.on("suggestions", (payload) => {
  setSuggestions(payload && payload.suggestions);
  schedule();
});
// A refused join: not a versioned change (a flood must not make screens resync), the console's alone.
live.socket.on("joining", (payload) => {
  applyJoining(live.state, payload);
  schedule();
});

/** Renders at most every 200 ms: a burst of hundreds of items costs a handful of renders. */
function schedule() {
  if (timer) return;
  const wait = Math.max(0, 200 - (Date.now() - lastRender));
  timer = window.setTimeout(() => {
    timer = 0;
    lastRender = Date.now();
    window.requestAnimationFrame(render);
  }, wait);
}

function title(state, phase) {
  return state.workshop.phase_titles[phase] || phase;
}

function render() {
  const state = live.state;
  if (!state) return;
  const phase = state.workshop.phase;
  $("#question").lang = state.workshop.language || "";
  $("#participant-count").textContent = formatNumber(state.participants.count);
  $("#item-count").textContent = formatNumber(state.items.filter((item) => !item.hidden).length);
  renderStepper(state);
  renderPeople(state);
  joining.update(state);
  fillLanes(state);
  paper.update(state);
  setup.update(state);
  moderation.update(state);
  const order = LAYOUT[phase] || ALL;
  const shown = showAll && showAll.checked ? [...order, ...ALL.filter((key) => !order.includes(key))] : order;
  const key = shown.join(",");
  if (key !== layoutKey) {
    layoutKey = key;
    swap(panelsEl, shown.map((name) => panels[name].el));
  }
  for (const name of shown) panels[name].update(state);
  review.update(state);
  timerPanel.update();
  const closed = phase === "closed";
  $("#guide-ready").hidden = !closed;
  $("#paper-form").closest("section").toggleAttribute("hidden", closed);
}

function renderStepper(state) {
  const { phases, phase } = state.workshop;
  const index = phases.indexOf(phase);
  swap($("#phase-list"), phases.map((name, i) => h("li", {},
    h("button", {
      type: "button", class: `phase-step${name === phase ? " phase-current" : ""}${i < index ? " phase-done" : ""}`,
      "data-key": `phase-${name}`, "aria-current": name === phase ? "step" : null,
      onclick: () => { if (name !== phase) setPhase(name); },
    },
    h("span", { class: "phase-num", text: formatNumber(i + 1) }),
    h("span", { class: "phase-title", text: title(state, name) })))));
  $("#prev-phase").setAttribute("aria-disabled", index <= 0 ? "true" : "false");
  $("#next-phase").setAttribute("aria-disabled", index >= phases.length - 1 ? "true" : "false");
}

function renderPeople(state) {
  const by = state.participants.by_perspective || {};
  $("#people-count").textContent = formatNumber(state.participants.count);
  swap($("#by-perspective"),
    state.participants.count ? null : h("p", { class: "muted", text: t("people.none") }),
    h("ul", { class: "plain-list people-list" }, state.perspectives
      .filter((p) => by[p.key])
      .map((p) => h("li", {}, h("span", { text: p.name }), h("span", { class: "count-pill", text: formatNumber(by[p.key]) })))));
}

let lanesKey = "";
function fillLanes(state) {
  const key = JSON.stringify(state.lanes);
  if (key === lanesKey) return;
  lanesKey = key;
  const select = $("#paper-lane");
  const previous = select.value;
  swap(select, state.lanes.map((lane) => h("option", { value: lane.key, selected: lane.key === previous, text: lane.name })));
}

function step(delta) {
  const state = live.state;
  if (!state) return;
  const { phases, phase } = state.workshop;
  const target = phases[phases.indexOf(phase) + delta];
  if (target) setPhase(target);
}

async function setPhase(phase) {
  if (busy) return;
  if (phase === "closed" && !window.confirm(t("phase.confirm_close"))) return;
  busy = true;
  await act("phase.set", { phase });
  busy = false;
}

/** Send a facilitator action; show a refusal in the alert. Resolves to the ack or null. */
async function act(event, payload) {
  try {
    const ack = await live.request(event, payload);
    if (!ack.ok) {
      showAlert(errorMessage(ack, t));
      redraw();
    } else {
      clearAlert();
    }
    return ack;
  } catch (error) {
    showAlert(errorMessage(error, t));
    redraw();
    return null;
  }
}

/** The server accepted a move: show it now, even while focus stays on the item's select. */
function moved(itemId, themeId) {
  const item = live.state && live.state.items.find((entry) => entry.id === itemId);
  if (item) item.theme_id = themeId;
  for (const panel of Object.values(panels)) if (panel.flush && panelsEl.contains(panel.el)) panel.flush();
}

/** After a refused action, redraw from server state so no control shows a change that did not happen. */
function redraw() {
  for (const panel of Object.values(panels)) if (panel.reset) panel.reset();
  schedule();
}

function showAlert(message) {
  swap(alertEl,
    h("p", { text: message }),
    h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("action.dismiss"), onclick: clearAlert }));
}

function clearAlert() {
  const hadFocus = alertEl.contains(document.activeElement);
  alertEl.replaceChildren();
  if (hadFocus) $("#phase-list button[aria-current]")?.focus();
}

$("#prev-phase").addEventListener("click", () => step(-1));
$("#next-phase").addEventListener("click", () => step(+1));
if (showAll) showAll.addEventListener("change", () => { layoutKey = ""; schedule(); });

document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable='true']")) return;
  event.preventDefault();
  step(event.key === "ArrowRight" ? +1 : -1);
});

// A paper note added on someone's behalf keeps its client_id until it lands, so a retry is safe.
const paperForm = $("#paper-form");
const paperText = $("#paper-text");
let paperId = null;
let paperSent = "";
counter(paperText, $("#paper-count"));
paperForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = paperText.value.trim();
  if (!text) {
    paperText.focus();
    return;
  }
  if (!paperId || paperSent !== text) paperId = uuid();
  paperSent = text;
  const ack = await act("item.add", { client_id: paperId, lane: $("#paper-lane").value, text, ...paper.payload() });
  if (ack && ack.ok) {
    paperId = null;
    paperText.value = "";
    paperText.dispatchEvent(new Event("input"));
    ctx.announce(t("paper.added"));
  }
});

// Copy buttons: the Clipboard API needs a secure context, so fall back to selecting the text.
for (const button of document.querySelectorAll("[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      field.select();
      try {
        copied = document.execCommand("copy");
      } catch {
        copied = false;
      }
    }
    if (status) status.textContent = copied ? t("copy.done") : t("copy.failed");
  });
}
