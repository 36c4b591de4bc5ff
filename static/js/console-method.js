// The console's panels for the full method: the pre-work invitation and who has contributed,
// the Present spotlight controls, the support proposals per theme, and the phase timer.

import { h, swap } from "./dom.js";
import { t, tn, formatNumber } from "./i18n.js";
import { spotlightLabel, proposalThemes, proposalsOf, supportType } from "./method.js";
import { mountTimer } from "./timer.js";

function perspectiveName(state, key) {
  const found = state.perspectives.find((p) => p.key === key);
  return found ? found.name : key || t("perspective.unknown");
}

/** Pre-work: the invitation to send ahead of the day, and contributions so far (counts only). */
export function preworkPanel() {
  const invitation = h("textarea", { id: "invite-text", rows: 4, readonly: true, "aria-describedby": "invite-hint" });
  const copyStatus = h("p", { id: "invite-status", class: "hint copy-status", role: "status" });
  const copy = h("button", {
    type: "button", class: "btn btn-small", text: t("prework.copy"),
    onclick: async () => {
      let copied = false;
      try {
        await navigator.clipboard.writeText(invitation.value);
        copied = true;
      } catch {
        invitation.select();
        try { copied = document.execCommand("copy"); } catch { copied = false; }
      }
      copyStatus.textContent = copied ? t("copy.done") : t("copy.failed");
    },
  });
  const table = h("div");
  const el = h("section", { class: "card panel", "aria-labelledby": "prework-heading" },
    h("h2", { id: "prework-heading", tabindex: "-1", text: t("prework.console_heading") }),
    h("label", { for: "invite-text", class: "label", text: t("prework.invitation_label") }),
    h("p", { id: "invite-hint", class: "hint", text: t("prework.invitation_hint") }),
    invitation, h("div", { class: "button-row" }, copy), copyStatus,
    h("h3", { text: t("prework.contributed_heading") }), table);
  let key = "";
  return {
    el,
    update(state) {
      const url = (state.links && state.links.join_url) || state.workshop.join_url || "";
      const text = t("prework.invitation", { question: state.workshop.question || "", url });
      if (invitation.value !== text) invitation.value = text;
      const prework = state.prework || { participants: 0, items: 0, by_perspective: {} };
      const next = JSON.stringify([prework, state.participants]);
      if (next === key) return;
      key = next;
      const by = prework.by_perspective || {};
      const joined = (state.participants && state.participants.by_perspective) || {};
      const rows = state.perspectives.filter((p) => by[p.key] || joined[p.key]);
      const paper = prework.paper || 0;
      swap(table,
        h("p", { text: t("prework.summary", { people: formatNumber(prework.participants), joined: formatNumber(state.participants.count), items: formatNumber(prework.items) }) }),
        rows.length || paper ? h("table", { class: "data-table" },
          h("caption", { class: "visually-hidden", text: t("prework.contributed_heading") }),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col", text: t("prework.col_perspective") }),
            h("th", { scope: "col", text: t("prework.col_joined") }),
            h("th", { scope: "col", text: t("prework.col_contributed") }),
            h("th", { scope: "col", text: t("prework.col_items") }))),
          h("tbody", {}, rows.map((p) => h("tr", {},
            h("th", { scope: "row", text: p.name }),
            h("td", { text: formatNumber(joined[p.key] || 0) }),
            h("td", { text: formatNumber((by[p.key] || {}).participants || 0) }),
            h("td", { text: formatNumber((by[p.key] || {}).items || 0) }))),
            // Notes added on the room's behalf have no perspective and no contributor to count.
            paper ? h("tr", { class: "prework-paper" },
              h("th", { scope: "row", text: t("prework.paper_notes") }),
              h("td", { text: "–" }), h("td", { text: "–" }), h("td", { text: formatNumber(paper) })) : null))
          : h("p", { class: "muted", text: t("prework.none") }));
    },
  };
}

/** Present: spotlight a contributor or a lane, step forward and back, clear. */
export function presentPanel(ctx) {
  const current = h("div", { class: "spot-current", "aria-live": "polite" });
  const lanes = h("div", { class: "button-row" });
  const el = h("section", { class: "card panel", "aria-labelledby": "present-heading" },
    h("h2", { id: "present-heading", tabindex: "-1", text: t("present.console_heading") }),
    h("p", { class: "hint", text: t("present.console_hint") }),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn", "data-key": "spot-prev", onclick: () => ctx.act("spotlight.step", { delta: -1 }) },
        h("span", { "aria-hidden": "true", text: "← " }), t("present.previous")),
      h("button", { type: "button", class: "btn btn-primary", "data-key": "spot-next", onclick: () => ctx.act("spotlight.step", { delta: 1 }) },
        t("present.next"), h("span", { "aria-hidden": "true", text: " →" })),
      h("button", { type: "button", class: "btn btn-quiet", "data-key": "spot-clear", text: t("present.clear"),
        onclick: () => ctx.act("spotlight.clear", {}) })),
    h("h3", { text: t("present.by_lane") }), lanes, current);
  let key = "";
  return {
    el,
    update(state) {
      const next = JSON.stringify([state.spotlight, state.lanes]);
      if (next === key) return;
      key = next;
      const spot = state.spotlight;
      swap(lanes, state.lanes.map((lane) => h("button", {
        type: "button", class: "btn btn-small", "data-key": `spot-lane-${lane.key}`,
        "aria-pressed": spot && spot.mode === "lane" && spot.lane === lane.key ? "true" : "false",
        text: lane.name, onclick: () => ctx.act("spotlight.set", { mode: "lane", lane: lane.key }),
      })));
      const lang = state.workshop.language || null;
      swap(current, spot
        ? [h("p", { class: "spot-label" }, h("strong", { text: t("present.now") }), ` ${spotlightLabel(state, spot)}`),
          h("ul", { class: "plain-list" }, spot.items.map((item) => h("li", { lang, text: item.text })))]
        : h("p", { class: "muted", text: t("present.none") }));
    },
  };
}

/** Concretise: the support proposed for each top theme, live. */
export function proposalsPanel() {
  const body = h("div");
  const heading = h("h2", { id: "proposals-heading", tabindex: "-1" });
  const el = h("section", { class: "card panel", "aria-labelledby": "proposals-heading" }, heading, body);
  let key = "";
  return {
    el,
    update(state) {
      const themes = proposalThemes(state);
      const next = JSON.stringify([themes.map((theme) => [theme.id, theme.name]), state.proposals]);
      if (next === key) return;
      key = next;
      heading.textContent = tn("proposals.total", state.proposals.length);
      const lang = state.workshop.language || null;
      swap(body, themes.length ? themes.map((theme) => {
        const proposals = proposalsOf(state, theme.id);
        return h("section", { class: "proposal-theme", "aria-labelledby": `cprop-${theme.id}` },
          h("h3", { id: `cprop-${theme.id}`, lang },
            theme.name, " ", h("span", { class: "count-pill", text: formatNumber(proposals.length) })),
          proposals.length ? h("ul", { class: "plain-list proposal-list" }, proposals.map((p) => h("li", {},
            h("span", { class: "lane-tag", text: supportType(p.type) }),
            h("span", { lang, text: ` ${p.description}` }),
            h("p", { class: "item-meta", text: [p.who_needs ? t("propose.for_whom", { who: p.who_needs }) : "",
              p.perspective ? perspectiveName(state, p.perspective) : ""].filter(Boolean).join(" · ") }))))
            : h("p", { class: "muted", text: t("proposals.none") }));
      }) : h("p", { class: "muted", text: t("projector.waiting_themes") }));
    },
  };
}

/** The phase timer: start (minutes, optional lock), add a minute, stop; a live countdown. */
export function timerCard(ctx, getState) {
  const minutes = h("input", { id: "timer-minutes", type: "number", min: 0.5, max: 240, step: 0.5, value: 5, inputmode: "decimal" });
  const lock = h("input", { id: "timer-lock", type: "checkbox" });
  const display = h("div", { class: "timer", hidden: true });
  const running = h("div", { class: "button-row", hidden: true },
    h("button", { type: "button", class: "btn btn-small", "data-key": "timer-extend", text: t("timer.extend"),
      onclick: () => ctx.act("timer.extend", { seconds: 60 }) }),
    h("button", { type: "button", class: "btn btn-small btn-quiet", "data-key": "timer-stop", text: t("timer.stop"),
      onclick: () => ctx.act("timer.stop", {}) }));
  const form = h("form", {
    class: "stack timer-form", novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      const value = Math.round(Number(minutes.value) * 60);
      ctx.act("timer.start", { seconds: Number.isFinite(value) ? value : 0, lock: lock.checked });
    },
  },
  h("div", { class: "inline-row" },
    h("div", { class: "field" },
      h("label", { for: "timer-minutes", class: "label", text: t("timer.minutes") }), minutes),
    h("button", { type: "submit", class: "btn btn-primary", "data-key": "timer-start", text: t("timer.start") })),
  h("label", { class: "check" }, lock, ` ${t("timer.lock_label")}`));
  const el = h("section", { class: "card panel timer-card", "aria-labelledby": "timer-heading" },
    h("h2", { id: "timer-heading", text: t("timer.heading") }), display, running, form);
  // While it counts down the card is the clock and its two buttons; a new timer can be started
  // once this one is stopped or has run out.
  const countdown = mountTimer(display, getState, ctx.announce, {
    onTick: (left) => {
      running.hidden = left === null;
      form.hidden = left !== null && left > 0;
    },
  });
  return {
    el,
    update() {
      countdown.update();
    },
  };
}
