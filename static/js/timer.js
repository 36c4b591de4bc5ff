// The phase timer on every screen: a countdown from the server's `ends_at`, measured on the
// server's clock (see realtime.js setClock), so a phone whose clock is wrong still shows the
// right time. Screen readers hear it at a few moments only: when it starts, one minute left, and
// time's up; never every second (the visible clock is role="timer", which is not announced).

import { h, swap } from "./dom.js";
import { t } from "./i18n.js";
import { serverNow } from "./realtime.js";

/** Seconds left on the running timer of the current phase, or null when there is none. */
export function secondsLeft(state) {
  const timer = state && state.timer;
  if (!timer || timer.phase !== state.workshop.phase) return null;
  return Math.max(0, Math.ceil((Date.parse(timer.ends_at) - serverNow(state)) / 1000));
}

export function clock(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/**
 * A live countdown in `container`. `getState()` returns the screen's state; `say(message)`
 * speaks through the screen's live region. Call `update()` whenever the state changed; `onTick(left)`,
 * when given, hears every redraw (seconds left, or null), so controls can follow the clock.
 */
export function mountTimer(container, getState, say, { large = false, onTick = null } = {}) {
  let spokenFor = ""; // which timer (by its end) the announcements so far belong to
  let spoken = new Set();
  let tick = 0;

  function speakOnce(key, message) {
    if (spoken.has(key)) return;
    spoken.add(key);
    say(message);
  }

  function render() {
    const state = getState();
    const left = secondsLeft(state);
    if (onTick) onTick(left);
    if (left === null) {
      container.hidden = true;
      container.replaceChildren();
      window.clearInterval(tick);
      tick = 0;
      return;
    }
    const timer = state.timer;
    if (spokenFor !== timer.ends_at) {
      // A new or extended timer: say so once; what already passed is not announced again.
      spokenFor = timer.ends_at;
      spoken = new Set();
      if (left > 0) say(t("timer.started_announce", { time: clock(left) }));
      if (left <= 60) spoken.add("minute");
      if (left === 0) spoken.add("up");
    }
    if (left > 0 && left <= 60) speakOnce("minute", t("timer.one_minute"));
    if (left === 0) speakOnce("up", timer.lock ? t("timer.up_locked") : t("timer.up"));
    container.hidden = false;
    container.classList.add("timer");
    container.classList.toggle("timer-large", large);
    container.classList.toggle("timer-up", left === 0);
    container.classList.toggle("timer-low", left > 0 && left <= 60);
    swap(container,
      h("span", { class: "timer-label", text: t("timer.label") }),
      h("span", { class: "timer-clock", role: "timer", "aria-label": t("timer.left_aria", { time: clock(left) }),
        text: left === 0 ? t("timer.up_short") : clock(left) }),
      timer.lock ? h("span", { class: "timer-lock", text: left === 0 ? t("timer.locked") : t("timer.will_lock") }) : null);
    if (!tick && left > 0) tick = window.setInterval(render, 1000);
    if (left === 0) {
      window.clearInterval(tick);
      tick = 0;
    }
  }

  return { update: render };
}
