// The aggregate phase on the console: themes with their items, each item with a "move to theme"
// select and a checkbox (several at once: move, new theme from them, merge as duplicates), theme
// merge and unmerge, item unmerge and Undo (the grouping suggestions are console-suggestions.js).
// Everything works with the keyboard alone; dragging an item onto a theme (mouse, pen or touch,
// through pointer events) is an extra way to move it.

import { h, swap } from "./dom.js";
import { enableDrag } from "./drag.js";
import { t, tn } from "./i18n.js";
import { visibleItems } from "./realtime.js";
import { saidMark } from "./said.js";
import { placementsFor, suggestions, onSuggestions } from "./suggestions-store.js";

const CAP = 200;
const pendingMoves = new Map();

function short(text, n = 60) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function themeName(state, id) {
  const found = state.themes.find((theme) => theme.id === id);
  return found ? found.name : t("theme.none");
}

function stepLabel(step) {
  if (!step) return "";
  const d = step.detail || {};
  const what = d.name || d.theme || d.item || "";
  return t(`agg.step.${step.kind}`, { what: short(String(what), 40), into: short(String(d.into || ""), 40),
    count: d.count || 0 });
}

/** Keep focus where the user was: a data-key, else the panel heading. */
function focusKey(root, key, fallback) {
  const target = key ? root.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
  (target || fallback).focus();
}

export function aggregatePanel(ctx) {
  const selected = new Set();
  // What the facilitator chose or typed in the bulk controls: kept across live re-renders (a
  // phone's new item or a suggestions push redraws the toolbar between choosing and pressing Move).
  const bulk = { theme: "", name: "" };
  let last = null;
  let focusAfter = null;
  const memo = {};
  let editing = null;
  const heading = h("h2", { id: "aggregate-heading", tabindex: "-1", text: t("agg.heading") });
  const newTheme = h("input", { id: "agg-new-theme", "data-key": "agg-new-theme", type: "text", maxlength: 120, autocomplete: "off" });
  const create = h("form", {
    class: "inline-form",
    onsubmit: async (event) => {
      event.preventDefault();
      const name = newTheme.value.trim();
      if (!name) return newTheme.focus();
      const ack = await run("theme.create", { name }, t("theme.created", { name }), "agg-new-theme");
      if (ack && ack.ok) newTheme.value = "";
      return ack;
    },
  },
  h("label", { for: "agg-new-theme", class: "label", text: t("theme.new_label") }),
  h("div", { class: "inline-row" }, newTheme, h("button", { type: "submit", class: "btn btn-primary btn-small", text: t("theme.create") })));
  const undoSlot = h("div", { class: "agg-undo" });
  const toolbar = h("div", { class: "agg-toolbar" });
  const board = h("div", { class: "theme-board agg-board" });
  // New theme and Undo share one row, so the themes start high enough to be seen at 1280x720.
  const el = h("section", { class: "card panel agg-panel", "aria-labelledby": "aggregate-heading" },
    heading, h("p", { class: "muted", id: "agg-help", text: t("agg.help") }),
    h("div", { class: "agg-top" }, create, undoSlot), toolbar, board);

  async function run(event, payload, announce, key) {
    const ack = await ctx.act(event, payload);
    if (ack && ack.ok) {
      if (announce) ctx.announce(announce);
      focusAfter = key || "undo";
      memo.last = null;
      // The change itself may have arrived first, while a select still had focus: draw now.
      window.setTimeout(render, 0);
    }
    return ack;
  }

  function undoButton(state) {
    const agg = state.aggregation || {};
    const step = agg.undo;
    return h("button", {
      type: "button", class: "btn btn-small", "data-key": "undo", "aria-disabled": step ? "false" : "true",
      "aria-describedby": "undo-what",
      text: t("agg.undo"),
      onclick: async () => {
        if (!step) return ctx.announce(t("agg.nothing_to_undo"));
        return run("aggregation.undo", { step_id: step.id }, t("agg.undone", { step: stepLabel(step) }), "undo");
      },
    });
  }

  function renderToolbar(state) {
    const agg = state.aggregation || {};
    const ids = [...selected];
    const count = ids.length;
    if (bulk.theme && !state.themes.some((theme) => String(theme.id) === bulk.theme)) bulk.theme = "";
    const themeSelect = h("select", {
      id: "bulk-theme", "data-key": "bulk-theme",
      oninput: () => { bulk.theme = themeSelect.value; },
      onchange: () => { bulk.theme = themeSelect.value; },
    },
    h("option", { value: "", selected: !bulk.theme, text: t("theme.none") }),
    state.themes.map((theme) => h("option", { value: String(theme.id), selected: String(theme.id) === bulk.theme, text: theme.name })));
    const newName = h("input", {
      id: "bulk-name", "data-key": "bulk-name", type: "text", maxlength: 120, autocomplete: "off", value: bulk.name,
      oninput: () => { bulk.name = newName.value; },
    });
    swap(undoSlot, undoButton(state),
      h("span", { id: "undo-what", class: "hint", text: agg.undo ? t("agg.undo_next", { step: stepLabel(agg.undo) }) : t("agg.nothing_to_undo") }));
    swap(toolbar,
      h("fieldset", { class: "agg-bulk", disabled: count === 0 },
        h("legend", { text: count ? tn("agg.selected", count) : t("agg.select_hint") }),
        h("div", { class: "inline-row" },
          h("label", { for: "bulk-theme", class: "label", text: t("agg.move_selected_to") }), themeSelect,
          h("button", {
            type: "button", class: "btn btn-small", "data-key": "bulk-move", text: t("agg.move"),
            onclick: async () => {
              const themeId = themeSelect.value ? Number(themeSelect.value) : null;
              const ack = await run("items.move", { item_ids: ids, theme_id: themeId },
                tn("agg.moved", count, { theme: themeName(state, themeId) }), "bulk-move");
              if (ack && ack.ok) {
                selected.clear();
                bulk.theme = "";
              }
            },
          })),
        h("form", {
          class: "inline-row",
          onsubmit: async (event) => {
            event.preventDefault();
            const name = newName.value.trim();
            if (!name) return newName.focus();
            const ack = await run("theme.split", { name, item_ids: ids }, t("agg.split_done", { name }), "bulk-name");
            if (ack && ack.ok) {
              selected.clear();
              bulk.name = "";
              const current = document.getElementById("bulk-name");  // a live re-render may have replaced it
              if (current) current.value = "";
            }
            return ack;
          },
        },
        h("label", { for: "bulk-name", class: "label", text: t("agg.new_theme_from_selected") }), newName,
        h("button", { type: "submit", class: "btn btn-small", "data-key": "bulk-make", text: t("agg.make_theme") })),
        h("button", {
          type: "button", class: "btn btn-small", "data-key": "bulk-merge", disabled: count < 2,
          text: t("agg.merge_selected"),
          onclick: async () => {
            // The earliest selected item stays; the others become part of it, one undoable step each.
            const sorted = ids.slice().sort((a, b) => a - b);
            for (const other of sorted.slice(1)) {
              const ack = await ctx.act("item.merge", { item_id: other, into_id: sorted[0] });
              if (!ack || !ack.ok) return;
            }
            selected.clear();
            focusAfter = `select-${sorted[0]}`;
            memo.last = null;
            ctx.announce(tn("agg.merged_items", sorted.length - 1));
          },
        })));
  }

  function itemRow(state, item) {
    const id = `agg-move-${item.id}`;
    const check = h("input", {
      type: "checkbox", id: `select-${item.id}`, "data-key": `select-${item.id}`, checked: selected.has(item.id),
      onchange: () => {
        if (check.checked) selected.add(item.id);
        else selected.delete(item.id);
        renderToolbar(last);
      },
    });
    const move = h("select", {
      id, "data-key": id, class: "assign-select", "aria-label": t("theme.move_item", { item: item.text.slice(0, 60) }),
      // Arrow keys on a closed <select> fire "change" for every option passed: the move is sent
      // once the choice has rested for a moment, and the last choice wins.
      onchange: () => {
        window.clearTimeout(pendingMoves.get(item.id));
        pendingMoves.set(item.id, window.setTimeout(() => {
          pendingMoves.delete(item.id);
          const themeId = move.value ? Number(move.value) : null;
          if (themeId === (item.theme_id ?? null)) return;
          run("items.move", { item_ids: [item.id], theme_id: themeId },
            tn("agg.moved", 1, { theme: themeName(state, themeId) }), id);
        }, 450));
      },
    },
    h("option", { value: "", selected: !item.theme_id, text: t("theme.none") }),
    state.themes.map((theme) => h("option", { value: String(theme.id), selected: theme.id === item.theme_id, text: theme.name })));
    const merged = item.merged || [];
    const origin = item.origin_theme_id ? (state.mergedThemeNames || {})[item.origin_theme_id] : null;
    return h("li", { class: "item-card agg-item", "data-item": String(item.id), onkeydown: (event) => placeByKey(event, state, item) },
      h("div", { class: "agg-item-head" },
        check,
        h("label", { for: `select-${item.id}`, class: "item-text", lang: state.workshop.language || null, text: item.text }),
        h("span", {
          class: "drag-handle", "aria-hidden": "true", title: t("agg.drag"), "data-drag": String(item.id), text: "⠿",
        })),
      origin ? h("p", { class: "item-meta", text: t("agg.from_theme", { name: origin }) }) : null,
      saidMark(state, item),
      likelyThemes(state, item),
      merged.length ? h("details", { class: "agg-merged" },
        h("summary", { text: tn("agg.merged_with", merged.length) }),
        h("ul", { class: "plain-list" }, merged.map((m) => h("li", {},
          h("span", { lang: state.workshop.language || null, text: m.text }), " ",
          h("button", {
            type: "button", class: "btn btn-small btn-quiet", "data-key": `unmerge-item-${m.id}`,
            text: t("agg.unmerge"), "aria-label": t("agg.unmerge_item", { item: short(m.text) }),
            onclick: () => run("item.unmerge", { item_id: m.id }, t("agg.item_unmerged", { item: short(m.text) }),
              `select-${item.id}`),
          }))))) : null,
      h("div", { class: "assign" }, h("label", { for: id, class: "assign-label", text: t("agg.move_to") }), move));
  }

  /** One click places an ungrouped item in one of its likely themes (best first). */
  function likelyThemes(state, item) {
    const ranked = placementsFor(state, item);
    if (!ranked.length) return null;
    return h("div", { class: "sugg-place", role: "group", "aria-label": t("sugg.likely") },
      ranked.map((themeId, index) => h("button", {
        type: "button", class: "btn btn-small btn-quiet sugg-place-btn", "data-key": `place-${item.id}-${index + 1}`,
        text: t("sugg.place", { name: themeName(state, themeId) }),
        "aria-label": t("sugg.place_aria", { item: short(item.text), name: themeName(state, themeId), key: index + 1 }),
        onclick: () => place(state, item, themeId),
      })));
  }

  function place(state, item, themeId) {
    return run("item.assign", { item_id: item.id, theme_id: themeId },
      t("sugg.placed", { item: short(item.text), name: themeName(state, themeId) }), "agg-loose-first");
  }

  function placeByKey(event, state, item) {
    if (!["1", "2", "3"].includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.tagName === "SELECT" || target.tagName === "TEXTAREA" ||
        (target.tagName === "INPUT" && target.type !== "checkbox"))) return;
    const themeId = placementsFor(state, item)[Number(event.key) - 1];
    if (!themeId) return;
    event.preventDefault();
    place(state, item, themeId);
  }

  function themeCard(state, theme, items) {
    const mergeId = `merge-into-${theme.id}`;
    const others = state.themes.filter((other) => other.id !== theme.id);
    const mergeSelect = h("select", { id: mergeId, "data-key": mergeId },
      others.map((other) => h("option", { value: String(other.id), text: other.name })));
    return h("section", { class: "theme-card agg-theme", "data-theme": String(theme.id), "aria-labelledby": `agg-theme-${theme.id}` },
      editing === theme.id ? renameForm(theme) : h("div", { class: "theme-head" },
        h("h3", { class: "theme-name", id: `agg-theme-${theme.id}`, tabindex: "-1", "data-key": `theme-${theme.id}`,
          lang: state.workshop.language || null, text: theme.name }),
        h("span", { class: "count-pill", text: tn("theme.items", items.length) }),
        h("div", { class: "theme-actions" },
          h("button", {
            type: "button", class: "btn btn-small", "data-key": `agg-rename-btn-${theme.id}`, text: t("action.rename"),
            "aria-label": t("theme.rename_aria", { name: theme.name }),
            onclick: () => { editing = theme.id; focusAfter = `agg-rename-${theme.id}`; memo.last = null; render(); },
          }),
          h("button", {
            type: "button", class: "btn btn-small btn-danger", text: t("action.delete"),
            "aria-label": t("theme.delete_aria", { name: theme.name }),
            onclick: () => {
              if (window.confirm(t("theme.delete_confirm", { name: theme.name }))) {
                run("theme.delete", { theme_id: theme.id }, t("agg.theme_deleted", { name: theme.name }), "undo");
              }
            },
          }))),
      (theme.merged || []).length ? h("ul", { class: "plain-list agg-merged-themes", "aria-label": t("agg.merged_themes") },
        theme.merged.map((m) => h("li", {}, h("span", { text: t("agg.merged_theme", { name: m.name }) }), " ",
          h("button", {
            type: "button", class: "btn btn-small btn-quiet", "data-key": `unmerge-theme-${m.id}`, text: t("agg.unmerge"),
            "aria-label": t("agg.unmerge_theme", { name: m.name }),
            onclick: () => run("theme.unmerge", { theme_id: m.id }, t("agg.theme_unmerged", { name: m.name }), `theme-${m.id}`),
          })))) : null,
      others.length ? h("div", { class: "inline-row agg-merge" },
        h("label", { for: mergeId, class: "label", text: t("agg.merge_theme_into", { name: theme.name }) }), mergeSelect,
        h("button", {
          type: "button", class: "btn btn-small", text: t("agg.merge"), "data-key": `merge-btn-${theme.id}`,
          onclick: () => {
            const into = Number(mergeSelect.value);
            run("theme.merge", { theme_id: theme.id, into_id: into },
              t("agg.theme_merged", { name: theme.name, into: themeName(state, into) }), `theme-${into}`);
          },
        })) : null,
      items.length ? null : h("p", { class: "muted", text: t("theme.empty") }),
      h("ul", { class: "item-list" }, items.slice(0, CAP).map((item) => itemRow(state, item))));
  }

  function renameForm(theme) {
    const id = `agg-rename-${theme.id}`;
    const input = h("input", {
      id, "data-key": id, type: "text", maxlength: 120, value: theme.name, required: true, autocomplete: "off",
      onkeydown: (event) => { if (event.key === "Escape") stop(); },
    });
    function stop() {
      editing = null;
      focusAfter = `agg-rename-btn-${theme.id}`;
      memo.last = null;
      render();
    }
    return h("form", {
      class: "inline-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (!value) return input.focus();
        const ack = await ctx.act("theme.rename", { theme_id: theme.id, name: value });
        if (ack && ack.ok) {
          ctx.announce(t("agg.renamed", { name: value }));
          stop();
        }
        return ack;
      },
    },
    h("label", { for: id, class: "label", text: t("theme.rename_label", { name: theme.name }) }),
    h("div", { class: "inline-row" }, input,
      h("button", { type: "submit", class: "btn btn-primary btn-small", text: t("action.save") }),
      h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("action.cancel"), onclick: stop })));
  }

  function render() {
    const state = last;
    if (!state) return;
    if (editing !== null && !state.themes.some((theme) => theme.id === editing)) editing = null;
    const items = visibleItems(state);
    for (const id of [...selected]) if (!items.some((item) => item.id === id)) selected.delete(id);
    const found = suggestions();
    if (!changed(memo, [state.themes, items, state.aggregation, [...selected], editing, found && found.placements])) return;
    state.mergedThemeNames = {};
    for (const theme of state.themes) for (const m of theme.merged || []) state.mergedThemeNames[m.id] = m.name;
    renderToolbar(state);
    const loose = items.filter((item) => !item.theme_id);
    swap(board,
      h("section", { class: "theme-card theme-card-loose agg-theme", "data-theme": "", "aria-labelledby": "agg-loose" },
        h("div", { class: "theme-head" },
          h("h3", { class: "theme-name", id: "agg-loose", text: t("theme.none") }),
          h("span", { class: "count-pill", text: tn("theme.items", loose.length) })),
        loose.length ? null : h("p", { class: "muted", text: t("theme.loose_empty") }),
        h("ul", { class: "item-list" }, loose.slice(0, CAP).map((item) => itemRow(state, item)))),
      state.themes.map((theme) => themeCard(state, theme, items.filter((item) => item.theme_id === theme.id))));
    if (focusAfter) {
      const key = focusAfter === "agg-loose-first" ? firstLooseKey(loose) : focusAfter;
      focusAfter = null;
      focusKey(el, key, heading);
    }
  }

  /** After a placement, focus goes to the next ungrouped item, so that 1, 2, 3 can go on. */
  function firstLooseKey(loose) {
    return loose.length ? `select-${loose[0].id}` : "agg-new-theme";
  }

  onSuggestions(() => window.setTimeout(render, 0));

  enableDrag(board, (itemId, themeId) => {
    const state = last;
    const item = state && state.items.find((entry) => entry.id === itemId);
    if (!item || (item.theme_id ?? null) === themeId) return;
    run("items.move", { item_ids: [itemId], theme_id: themeId }, tn("agg.moved", 1, { theme: themeName(state, themeId) }),
      `select-${itemId}`);
  });

  return {
    el,
    update(state) {
      last = state;
      const active = document.activeElement;
      // Never replace an open dropdown under the user's finger: wait until focus leaves it.
      if (active && active.tagName === "SELECT" && el.contains(active) && !focusAfter) {
        active.addEventListener("blur", () => window.setTimeout(render, 0), { once: true });
        return;
      }
      render();
    },
    reset() {
      memo.last = null;
    },
    flush() {
      render();
    },
  };
}

function changed(holder, value) {
  const next = JSON.stringify(value);
  if (holder.last === next) return false;
  holder.last = next;
  return true;
}
