// The participant's phone: join with a perspective, then one screen per phase.
// Identity is a token in localStorage, so a reload or a dropped connection keeps the person.

import { h, $, swap, announce, scheduler } from "./dom.js";
import { t } from "./i18n.js";
import { connectLive } from "./realtime.js";
import { identity, Commands, PENDING, SENDING } from "./outbox.js";
import { createCommand } from "./participant-commands.js";
import { createSender, collectView } from "./participant-collect.js";
import { aggregateView, adviceView, closedView, waitingView } from "./participant-phases.js";
import { voteView } from "./participant-vote.js";
import { withdrawPanel } from "./participant-withdraw.js";
import { reviewPanel } from "./participant-review.js";
import { preworkView, presentView, proposeView } from "./participant-method.js";
import { mountTimer } from "./timer.js";
import { spotlightLabel } from "./method.js";

const app = document.getElementById("app");
const code = app.dataset.code;
const view = $("#view");
const phasePill = $("#phase");
const phaseName = $("#phase-name");
const banner = $("#conn");
const whoami = $("#whoami");
const privacy = $("#privacy");

const ctx = {
  code,
  live: null,
  online: false,
  draft: { lane: "", text: "" },
  ballot: { draft: null, status: "idle", error: "", retry: false },
  advice: { text: "", status: "idle", error: "", retry: false, dirty: false },
  announce: (message) => announce($("#announcer"), message),
  changed: () => schedule(),
  commands: new Commands(code),
};
ctx.sender = createSender(ctx);
ctx.ballotSender = createCommand(ctx, "ballot", "ballot.set", ctx.ballot,
  { saved: () => t("vote.saved_announce"), offline: () => t("vote.offline") });
ctx.adviceSender = createCommand(ctx, "advice", "advice.set", ctx.advice,
  { saved: () => t("advice.saved_announce"), offline: () => t("advice.offline") });
// What was waiting to be sent when the page was last closed is shown as waiting, not lost.
for (const [kind, status] of [["ballot", ctx.ballot], ["advice", ctx.advice]]) {
  if (ctx.commands.get(kind)) Object.assign(status, { status: "pending", retry: true });
}

const review = reviewPanel(ctx);
$("#review").replaceWith(review.el);

let mounted = { phase: null, view: null };
const phoneTimer = mountTimer($("#timer"), () => ctx.live && ctx.live.state, ctx.announce);
let wasOffline = false;
let bannerTimer = 0;
const schedule = scheduler(render);

function phaseTitle(state, phase) {
  return state.workshop.phase_titles[phase] || phase;
}

function createView(phase, state) {
  switch (phase) {
    case "prework":
      return preworkView(ctx, state);
    case "collect":
      return collectView(ctx, state);
    case "present":
      return presentView(ctx);
    case "concretise":
      return proposeView(ctx, state);
    case "aggregate":
      return aggregateView(ctx);
    case "prioritise":
      return voteView(ctx);
    case "advice":
      return adviceView(ctx);
    case "closed":
      return closedView(ctx);
    default:
      return waitingView(ctx, phase);
  }
}

function render() {
  const state = ctx.live && ctx.live.state;
  if (!state) return;
  const phase = state.workshop.phase;
  const phases = state.workshop.phases;
  phasePill.hidden = false;
  phaseName.textContent = phaseTitle(state, phase);
  const step = phases.indexOf(phase);
  $("#phase-step").textContent = step >= 0 ? t("phase.step", { n: step + 1, total: phases.length }) : "";
  if (mounted.phase !== phase) {
    mounted = { phase, view: createView(phase, state) };
    swap(view, mounted.view.el);
  }
  mounted.view.update(state);
  review.update(state);
  phoneTimer.update();
  if (!privacy.firstChild) swap(privacy, withdrawPanel(ctx).el);
  renderIdentity(state);
  renderBanner();
}

function renderIdentity(state) {
  const me = state.me;
  if (!me || !whoami) return;
  const perspective = state.perspectives.find((p) => p.key === me.perspective);
  const label = perspective ? perspective.name : t("perspective.unknown");
  whoami.textContent = me.name
    ? t("me.named", { name: me.name, perspective: label })
    : t("me.anonymous", { perspective: label });
}

function renderBanner() {
  window.clearTimeout(bannerTimer);
  if (!ctx.online) {
    if (!wasOffline) return;
    banner.className = "conn-banner conn-offline";
    banner.textContent = t("conn.offline");
    return;
  }
  const busy = ctx.sender.outbox.entries.some((e) => e.state === PENDING || e.state === SENDING)
    || ["sending", "pending"].includes(ctx.ballot.status) || ["sending", "pending"].includes(ctx.advice.status);
  if (wasOffline && !busy) {
    wasOffline = false;
    banner.className = "conn-banner conn-online";
    banner.textContent = t("conn.back_online");
    bannerTimer = window.setTimeout(() => {
      banner.className = "conn-banner";
      banner.textContent = "";
    }, 5000);
  } else if (wasOffline) {
    banner.className = "conn-banner conn-syncing";
    banner.textContent = t("conn.catching_up");
  }
}

function setStatus(status) {
  const online = status === "online";
  if (!online && ctx.live && ctx.live.state) wasOffline = true;
  ctx.online = online;
  if (!ctx.live || !ctx.live.state) {
    if (!online) swap(view, h("p", { class: "loading", text: t("conn.connecting") }));
    return;
  }
  schedule();
}

function start(token) {
  ctx.token = token;
  swap(view, h("p", { class: "loading", text: t("conn.connecting") }));
  ctx.live = connectLive({
    role: "participant",
    token,
    onStatus: setStatus,
    onSnapshot: (state) => {
      const phaseBefore = mounted.phase;
      ctx.sender.reconcile(state);
      ctx.sender.flush();
      ctx.ballotSender.resend();
      ctx.adviceSender.resend();
      if (phaseBefore && phaseBefore !== state.workshop.phase) announcePhase(state);
      schedule();
    },
    onChange: (change, state) => {
      if (change.type === "phase.changed") announcePhase(state);
      if (change.type === "results.changed" && state.workshop.results_revealed) ctx.announce(t("results.revealed_announce"));
      if (change.type === "spotlight.changed" && state.spotlight) announceSpotlight(state);
      schedule();
    },
    onMe: () => schedule(),
    onItem: (item, state) => {
      ctx.sender.reconcile(state);
      schedule();
    },
    onRefused: (error) => {
      ctx.live.close();
      ctx.live = null;
      if (error.code === "bad_token") {
        identity.clear(code);
        mounted = { phase: null, view: null };
        privacy.replaceChildren();
        phasePill.hidden = true;
        if (whoami) whoami.textContent = "";
        showJoin(error.message);
      } else {
        swap(view, h("div", { class: "card notice notice-error", role: "alert" },
          h("p", { text: error.message || t("error.generic") }),
          h("button", { type: "button", class: "btn", text: t("action.try_again"), onclick: () => start(token) })));
      }
    },
  });
}

function announceSpotlight(state) {
  const own = new Set(state.items.filter((item) => item.mine).map((item) => item.id));
  const spot = state.spotlight;
  const mine = spot.mode === "participant" && spot.items.length && spot.items.every((item) => own.has(item.id));
  ctx.announce(mine ? t("present.yours") : t("present.now_announce", { who: spotlightLabel(state, spot) }));
}

function announcePhase(state) {
  ctx.announce(t("phase.changed", { phase: phaseTitle(state, state.workshop.phase) }));
}

async function api(path, options = {}) {
  let response;
  // A server that is full answers 503 with Retry-After before doing anything: ask again, a few
  // times, after the wait it names (a moment longer each time, spread so a room does not return at once).
  for (let attempt = 0; ; attempt++) {
    response = await fetch(path, {
      credentials: "same-origin",
      ...options,
      headers: { Accept: "application/json", ...(options.headers || {}) },
    });
    if (response.status !== 503 || attempt >= 5) break;
    const wait = Math.min(10, Number(response.headers.get("Retry-After")) || 2) * 1000 * (1 + attempt / 2);
    await new Promise((resolve) => window.setTimeout(resolve, wait + Math.random() * 1000));
  }
  let body = {};
  try {
    body = await response.json();
  } catch { /* empty or not JSON */ }
  return { ok: response.ok, status: response.status, body };
}

async function showJoin(notice = "") {
  swap(view, h("p", { class: "loading", text: t("join.loading") }));
  let info;
  try {
    info = await api(`/api/workshops/${encodeURIComponent(code)}/public`);
  } catch {
    info = null;
  }
  if (!info || !info.ok) {
    const message = info && info.body.error ? info.body.error.message : t("join.load_failed");
    swap(view, h("div", { class: "card notice notice-error", role: "alert" },
      h("p", { text: message }),
      h("button", { type: "button", class: "btn", text: t("action.try_again"), onclick: () => showJoin(notice) })));
    return;
  }
  const data = info.body;
  if (data.joining_open === false) {
    // Only new phones see this: one that joined before goes straight to the workshop.
    swap(view, h("div", { class: "card notice", role: "status" },
      h("h2", { text: t("join.closed_heading") }),
      h("p", { text: t("join.closed") }),
      h("button", { type: "button", class: "btn", text: t("action.try_again"), onclick: () => showJoin(notice) })));
    return;
  }
  const perspectives = data.perspectives || (data.workshop && data.workshop.perspectives) || [];
  swap(view, joinForm(perspectives, notice));
}

function joinForm(perspectives, notice) {
  const error = h("p", { id: "join-error", class: "field-error", role: "alert" });
  const perspectiveError = h("p", { id: "perspective-error", class: "field-error" });
  const nameError = h("p", { id: "name-error", class: "field-error" });
  const name = h("input", {
    id: "join-name", name: "name", type: "text", maxlength: 60, autocomplete: "nickname",
    "aria-describedby": "name-hint name-error",
  });
  const button = h("button", { type: "submit", class: "btn btn-primary btn-block", text: t("join.submit") });
  const form = h("form", { class: "card join-form", novalidate: true, "aria-labelledby": "join-heading" },
    h("h2", { id: "join-heading", tabindex: "-1", text: t("join.heading") }),
    notice ? h("p", { class: "notice-inline", role: "status", text: notice }) : null,
    perspectives.length ? h("fieldset", { class: "radio-list", "aria-describedby": "perspective-error" },
      h("legend", { text: t("join.perspective") }),
      perspectives.map((p, index) => h("label", { class: "radio-option" },
        h("input", { type: "radio", name: "perspective", value: p.key, required: index === 0 }),
        h("span", { text: p.name }))),
      perspectiveError) : null,
    h("label", { for: "join-name", class: "label", text: t("join.name") }),
    h("p", { id: "name-hint", class: "hint", text: t("join.name_hint") }),
    name, nameError, error, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const el of [error, perspectiveError, nameError]) el.textContent = "";
    const chosen = form.querySelector('input[name="perspective"]:checked');
    if (perspectives.length && !chosen) {
      perspectiveError.textContent = t("join.choose_perspective");
      form.querySelector('input[name="perspective"]').focus();
      return;
    }
    if (button.getAttribute("aria-disabled") === "true") return; // a double tap must not join twice
    button.setAttribute("aria-disabled", "true");
    let result;
    try {
      result = await api(`/api/workshops/${encodeURIComponent(code)}/participants`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ perspective: chosen ? chosen.value : null, name: name.value.trim() || null }),
      });
    } catch {
      result = { ok: false, body: { error: { message: t("join.network_error") } } };
    }
    button.setAttribute("aria-disabled", "false");
    if (result.ok && result.body.token) {
      identity.set(code, { token: result.body.token, id: result.body.participant && result.body.participant.id });
      start(result.body.token);
      return;
    }
    const problem = result.body.error || {};
    const fields = problem.fields || {};
    if (fields.perspective) perspectiveError.textContent = [].concat(fields.perspective).join(" ");
    if (fields.name) nameError.textContent = [].concat(fields.name).join(" ");
    if (!fields.perspective && !fields.name) error.textContent = problem.message || t("error.generic");
  });
  return form;
}

const stored = identity.get(code);
if (stored) start(stored.token);
else showJoin();
