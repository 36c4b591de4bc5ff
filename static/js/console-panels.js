// The facilitator's live panels: items by lane, themes (create, rename, delete, move items with
// a plain <select> so grouping works by keyboard alone), results and advice.

import { h, swap } from "./dom.js";
import { t, tn, formatNumber, formatTime } from "./i18n.js";
import { resultsChart, turnoutLine } from "./results.js";
import { visibleItems } from "./realtime.js";
import { itemMarks } from "./item-marks.js";
import { saidMark } from "./said.js";

const LANE_CAP = 150;
const LOOSE_CAP = 200;

function perspectiveName(state, key) {
  const found = state.perspectives.find((p) => p.key === key);
  return found ? found.name : "";
}

/** One item with its meta line and (when there are themes) a "Move to theme" select. */
function itemRow(ctx, state, item, { lane = false, scope = "items" } = {}) {
  const lang = state.workshop.language || null;
  const laneName = lane ? (state.lanes.find((l) => l.key === item.lane) || {}).name : null;
  const meta = [perspectiveName(state, item.perspective), formatTime(item.created_at)].filter(Boolean).join(" · ");
  return h("li", { class: "item-card" },
    laneName ? h("span", { class: "lane-tag", text: laneName }) : null,
    itemMarks(state, item),
    h("p", { class: "item-text", lang, text: item.text }),
    saidMark(state, item),
    h("p", { class: "item-meta" },
      item.on_behalf ? h("span", { class: "badge badge-pending", text: t("item.paper") }) : null,
      meta ? h("span", { text: meta }) : null),
    state.themes.length ? assignSelect(ctx, state, item, scope) : null);
}

// Arrow keys on a closed <select> fire "change" for every option passed, so a move is sent only
// once the choice has rested for a moment; the last choice wins.
const pendingMoves = new Map();

function moveLater(ctx, item, select) {
  window.clearTimeout(pendingMoves.get(item.id));
  pendingMoves.set(item.id, window.setTimeout(async () => {
    pendingMoves.delete(item.id);
    const themeId = select.value ? Number(select.value) : null;
    if (themeId === (item.theme_id ?? null)) return;
    const ack = await ctx.act("item.assign", { item_id: item.id, theme_id: themeId });
    if (ack && ack.ok) ctx.moved(item.id, themeId);
  }, 450));
}

function assignSelect(ctx, state, item, scope) {
  // An item can show in two panels at once: the scope keeps ids (and label targets) unique.
  const id = `assign-${scope}-${item.id}`;
  const select = h("select", {
    id, class: "assign-select", "data-key": id,
    "aria-label": t("theme.move_item", { item: item.text.slice(0, 60) }),
    onchange: () => moveLater(ctx, item, select),
  },
  h("option", { value: "", selected: item.theme_id === null || item.theme_id === undefined, text: t("theme.none") }),
  state.themes.map((theme) => h("option", { value: String(theme.id), selected: theme.id === item.theme_id, text: theme.name })));
  return h("div", { class: "assign" },
    h("label", { for: id, class: "assign-label", text: t("theme.move") }),
    select);
}

/**
 * Run a re-render now, unless the user is inside a <select> in `container`: replacing an open
 * dropdown would close it under their finger, so wait until focus leaves it.
 */
function unlessChoosing(container, render) {
  const active = document.activeElement;
  if (active && active.tagName === "SELECT" && container.contains(active)) {
    if (!container.dataset.deferred) {
      container.dataset.deferred = "1";
      active.addEventListener("blur", () => {
        delete container.dataset.deferred;
        window.setTimeout(render, 0);
      }, { once: true });
    }
    return;
  }
  render();
}

/** Skip work when the data a panel shows has not changed. */
function changed(holder, value) {
  const next = JSON.stringify(value);
  if (holder.last === next) return false;
  holder.last = next;
  return true;
}

export function itemsPanel(ctx) {
  const body = h("div", { class: "lanes" });
  const heading = h("h2", { id: "items-heading", tabindex: "-1" });
  const el = h("section", { class: "card panel", "aria-labelledby": "items-heading" }, heading, body);
  const memo = {};
  let last = null;
  return {
    el,
    update(state) {
      last = state;
      unlessChoosing(body, render);
    },
    reset() {
      memo.last = null;
    },
    flush() {
      if (last) render();
    },
  };

  function render() {
    const state = last;
    const items = visibleItems(state);
    if (!changed(memo, [state.lanes, state.themes, items, state.perspectives])) return;
    heading.textContent = tn("items.heading", items.length);
    swap(body, state.lanes.map((lane) => {
      const inLane = items.filter((item) => item.lane === lane.key).sort((a, b) => b.id - a.id);
      return h("section", { class: "lane", "aria-label": lane.name },
        h("h3", { class: "lane-heading" }, lane.name, " ",
          h("span", { class: "count-pill", text: formatNumber(inLane.length) })),
        inLane.length ? null : h("p", { class: "muted", text: t("items.none") }),
        h("ul", { class: "item-list" }, inLane.slice(0, LANE_CAP).map((item) => itemRow(ctx, state, item))),
        inLane.length > LANE_CAP ? h("p", { class: "muted", text: t("items.capped", { shown: LANE_CAP, total: inLane.length }) }) : null);
    }));
  }
}

export function themesPanel(ctx) {
  let editing = null;
  let focusAfter = null;
  const name = h("input", { id: "new-theme", name: "name", type: "text", maxlength: 80, required: true, autocomplete: "off" });
  const create = h("form", {
    class: "inline-form",
    onsubmit: async (event) => {
      event.preventDefault();
      const value = name.value.trim();
      if (!value) return name.focus();
      const ack = await ctx.act("theme.create", { name: value });
      if (ack && ack.ok) {
        name.value = "";
        ctx.announce(t("theme.created", { name: value }));
      }
    },
  },
  h("label", { for: "new-theme", class: "label", text: t("theme.new_label") }),
  h("div", { class: "inline-row" }, name, h("button", { type: "submit", class: "btn btn-primary", text: t("theme.create") })));
  const board = h("div", { class: "theme-board" });
  const heading = h("h2", { id: "themes-heading", tabindex: "-1" });
  const el = h("section", { class: "card panel", "aria-labelledby": "themes-heading" },
    heading, h("p", { class: "muted", text: t("themes.help") }), create, board);
  let last = null;
  const memo = {};

  function themeHeader(state, theme, count) {
    if (editing === theme.id) {
      const input = h("input", {
        id: `rename-${theme.id}`, "data-key": `rename-${theme.id}`, type: "text", maxlength: 80,
        value: theme.name, required: true, autocomplete: "off",
        onkeydown: (event) => { if (event.key === "Escape") stopEditing(theme.id); },
      });
      return h("form", {
        class: "inline-form",
        onsubmit: async (event) => {
          event.preventDefault();
          const value = input.value.trim();
          if (!value) return input.focus();
          const ack = await ctx.act("theme.rename", { theme_id: theme.id, name: value });
          if (ack && ack.ok) stopEditing(theme.id);
        },
      },
      h("label", { for: `rename-${theme.id}`, class: "label", text: t("theme.rename_label", { name: theme.name }) }),
      h("div", { class: "inline-row" }, input,
        h("button", { type: "submit", class: "btn btn-primary btn-small", text: t("action.save") }),
        h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("action.cancel"), onclick: () => stopEditing(theme.id) })));
    }
    return h("div", { class: "theme-head" },
      h("h3", { class: "theme-name", lang: state.workshop.language || null, text: theme.name }),
      h("span", { class: "count-pill", text: tn("theme.items", count) }),
      h("div", { class: "theme-actions" },
        h("button", {
          type: "button", class: "btn btn-small", "data-key": `rename-btn-${theme.id}`, text: t("action.rename"),
          "aria-label": t("theme.rename_aria", { name: theme.name }),
          onclick: () => { editing = theme.id; focusAfter = `rename-${theme.id}`; render(); },
        }),
        h("button", {
          type: "button", class: "btn btn-small btn-danger", text: t("action.delete"),
          "aria-label": t("theme.delete_aria", { name: theme.name }),
          onclick: () => {
            if (window.confirm(t("theme.delete_confirm", { name: theme.name }))) ctx.act("theme.delete", { theme_id: theme.id });
          },
        })));
  }

  function stopEditing(id) {
    editing = null;
    focusAfter = `rename-btn-${id}`;
    render();
  }

  function render() {
    const state = last;
    if (!state) return;
    const items = visibleItems(state);
    if (!changed(memo, [editing, state.themes, items, state.lanes, state.perspectives])) return;
    heading.textContent = tn("themes.heading", state.themes.length);
    const loose = items.filter((item) => !item.theme_id).sort((a, b) => b.id - a.id);
    swap(board,
      h("section", { class: "theme-card theme-card-loose", "aria-label": t("theme.none") },
        h("div", { class: "theme-head" },
          h("h3", { class: "theme-name", text: t("theme.none") }),
          h("span", { class: "count-pill", text: tn("theme.items", loose.length) })),
        loose.length ? null : h("p", { class: "muted", text: t("theme.loose_empty") }),
        h("ul", { class: "item-list" }, loose.slice(0, LOOSE_CAP).map((item) => itemRow(ctx, state, item, { lane: true, scope: "themes" }))),
        loose.length > LOOSE_CAP ? h("p", { class: "muted", text: t("items.capped", { shown: LOOSE_CAP, total: loose.length }) }) : null),
      state.themes.map((theme) => {
        const inTheme = items.filter((item) => item.theme_id === theme.id);
        return h("section", { class: "theme-card", "aria-label": theme.name },
          themeHeader(state, theme, inTheme.length),
          inTheme.length ? null : h("p", { class: "muted", text: t("theme.empty") }),
          h("ul", { class: "item-list" }, inTheme.map((item) => itemRow(ctx, state, item, { lane: true, scope: "themes" }))));
      }));
    if (focusAfter) {
      const target = board.querySelector(`[data-key="${CSS.escape(focusAfter)}"]`);
      focusAfter = null;
      if (target) {
        target.focus();
        if (target.select) target.select();
      }
    }
  }

  return {
    el,
    update(state) {
      last = state;
      if (editing !== null && !state.themes.some((theme) => theme.id === editing)) editing = null;
      unlessChoosing(board, () => render());
    },
    reset() {
      memo.last = null;
    },
    flush() {
      render();
    },
  };
}

export function resultsPanel(ctx) {
  const body = h("div");
  const el = h("section", { class: "card panel", "aria-labelledby": "results-heading" },
    h("h2", { id: "results-heading", tabindex: "-1", text: t("results.heading") }), body);
  return {
    el,
    update(state) {
      const revealed = Boolean(state.workshop.results_revealed);
      const voting = state.workshop.voting;
      swap(body,
        voting.title ? h("p", { class: "round-name", text: voting.title }) : null,
        h("p", { class: "muted", text: voting.method === "matrix" ? t("rounds.rules.matrix")
          : voting.method === "ranking" ? t("rounds.rules.ranking")
            : t("results.rules", { dots: voting.dots, max: voting.max_per_entry }) }),
        turnoutLine(state.turnout),
        h("div", { class: "button-row" },
          h("button", {
            type: "button", class: revealed ? "btn" : "btn btn-primary", "data-key": "reveal",
            text: revealed ? t("results.hide") : t("results.reveal"),
            onclick: () => ctx.act("results.reveal", { revealed: !revealed }),
          })),
        revealed && state.results
          ? resultsChart(state.results, { perspectives: state.perspectives })
          : h("p", { class: "muted", text: t("results.hidden_note") }));
    },
  };
}

export function advicePanel() {
  const body = h("div");
  const heading = h("h2", { id: "advice-heading", tabindex: "-1" });
  const el = h("section", { class: "card panel", "aria-labelledby": "advice-heading" }, heading, body);
  return {
    el,
    update(state) {
      const list = state.advice.filter((entry) => entry.text).sort((a, b) => b.id - a.id);
      heading.textContent = tn("advice.room", list.length);
      swap(body, list.length
        ? h("ul", { class: "advice-list plain-list" }, list.map((entry) => h("li", {},
          h("p", { lang: state.workshop.language || null, text: entry.text }),
          h("p", { class: "item-meta", text: formatTime(entry.created_at) }))))
        : h("p", { class: "muted", text: t("advice.none") }));
    },
  };
}
