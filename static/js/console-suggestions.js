// The grouping suggestions on the console: proposed themes to accept (renamed, items dropped) or
// reject, duplicate pairs to merge or reject, and the template's starter themes before any theme
// exists. The server pushes fresh suggestions after every change; a card whose suggestion is
// unchanged keeps its element, and a card the facilitator has started editing (a renamed theme,
// an unticked item, focus inside it) is kept as it is until they act on it, so a push never takes
// away what someone is typing or the button they are about to press.

import { h, swap } from "./dom.js";
import { t } from "./i18n.js";
import { setSuggestions, onSuggestions } from "./suggestions-store.js";

function short(text, n = 60) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** What a card shows: the same signature means the same element can stay. */
function signature(kind, s) {
  return kind === "theme"
    ? `${s.key}|${s.name}|${s.items.map((item) => `${item.id}:${item.text}`).join(",")}`
    : `${s.key}|${s.keep.id}:${s.keep.text}|${s.other.id}:${s.other.text}`;
}

/** The grouping suggestions: fetched on request, each accepted (possibly edited) or rejected. */
export function suggestionsPanel(ctx) {
  let found = null;
  let focusAfter = null;
  let shown = null; // the signatures of the cards on screen, in order
  const cards = new Map(); // key -> { sig, el, dirty }
  const heading = h("h2", { id: "suggestions-heading", tabindex: "-1", text: t("sugg.heading") });
  const body = h("div", { class: "sugg-body" });
  const engineLine = h("p", { class: "muted sugg-engine", "data-engine": "" });
  const starterSlot = h("div", { class: "sugg-starters" });
  const el = h("section", { class: "card panel sugg-panel", "aria-labelledby": "suggestions-heading" },
    heading, engineLine, starterSlot, h("p", { class: "muted", text: t("sugg.help") }),
    h("p", { class: "muted", text: t("sugg.keys_help") }),
    h("button", { type: "button", class: "btn btn-primary btn-small", "data-key": "sugg-refresh", text: t("sugg.refresh"), onclick: () => load() }),
    body);

  async function load(announce = true) {
    const ack = await ctx.act("suggestions.list", {});
    if (ack && ack.ok) {
      found = ack.suggestions;
      setSuggestions(found);
      if (announce) ctx.announce(t("sugg.found", { themes: found.themes.length, duplicates: found.duplicates.length }));
    }
  }

  async function reject(key, next) {
    const ack = await ctx.act("suggestion.reject", { key });
    if (ack && ack.ok) {
      focusAfter = next;
      found = ack.suggestions;
      setSuggestions(found);
      ctx.announce(t("sugg.rejected"));
    }
  }

  /** A card kept from the last render, or a new one; the accept button's key follows its place. */
  function card(kind, s, index, make) {
    const sig = signature(kind, s);
    let kept = cards.get(s.key);
    if (!kept || (kept.sig !== sig && !kept.dirty && !kept.el.contains(document.activeElement))) {
      kept = { sig, el: make(s), dirty: false };
      kept.el.addEventListener("input", () => { kept.dirty = true; });
      kept.el.addEventListener("change", () => { kept.dirty = true; });
      cards.set(s.key, kept);
    }
    const main = kept.el.querySelector("[data-role='main']");
    if (main) main.dataset.key = `${kind === "theme" ? "sugg-accept" : "dup-merge"}-${index}`;
    return kept;
  }

  function themeSuggestion(s) {
    const nameId = `sugg-name-${s.key}`;
    const name = h("input", { id: nameId, "data-key": nameId, type: "text", maxlength: 120, value: s.name, autocomplete: "off" });
    const boxes = s.items.map((item) => h("input", { type: "checkbox", id: `sugg-${s.key}-${item.id}`, checked: true, value: String(item.id) }));
    const accept = h("button", { type: "submit", class: "btn btn-primary btn-small", "data-role": "main", text: t("sugg.accept_theme") });
    return h("li", { class: "sugg-card" },
      h("form", {
        class: "stack",
        "aria-label": t("sugg.theme_aria", { name: s.name }),
        onsubmit: async (event) => {
          event.preventDefault();
          const ids = boxes.filter((box) => box.checked).map((box) => Number(box.value));
          const value = name.value.trim();
          if (!value) return name.focus();
          if (!ids.length) return ctx.announce(t("sugg.choose_items"));
          const ack = await ctx.act("theme.split", { name: value, item_ids: ids });
          if (ack && ack.ok) {
            ctx.announce(t("sugg.accepted_theme", { name: value, n: ids.length }));
            focusAfter = accept.dataset.key;
            await load(false);
          }
          return ack;
        },
      },
      h("div", { class: "field" }, h("label", { for: nameId, class: "label", text: t("sugg.theme_name") }), name),
      h("fieldset", {}, h("legend", { text: t("sugg.items_in_theme") }),
        h("ul", { class: "plain-list" }, s.items.map((item, i) => h("li", { class: "check" }, boxes[i],
          h("label", { for: boxes[i].id, text: item.text }))))),
      h("div", { class: "button-row" },
        accept,
        h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("sugg.reject"),
          "aria-label": t("sugg.reject_theme", { name: s.name }), onclick: () => reject(s.key, accept.dataset.key) }))));
  }

  function duplicate(d) {
    let merge = null;
    return h("li", { class: "sugg-card" },
      h("p", { class: "sugg-pair" }, h("span", { text: d.keep.text }), h("span", { class: "muted", text: ` ${t("sugg.and")} ` }),
        h("span", { text: d.other.text })),
      h("div", { class: "button-row" },
        merge = h("button", {
          type: "button", class: "btn btn-small", "data-role": "main", text: t("sugg.merge"),
          "aria-label": t("sugg.merge_aria", { item: short(d.other.text), into: short(d.keep.text) }),
          onclick: async () => {
            const ack = await ctx.act("item.merge", { item_id: d.other.id, into_id: d.keep.id });
            if (ack && ack.ok) {
              ctx.announce(t("sugg.merged"));
              focusAfter = merge.dataset.key;
              await load(false);
            }
          },
        }),
        h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("sugg.reject"),
          "aria-label": t("sugg.reject_duplicate", { item: short(d.other.text) }), onclick: () => reject(d.key, merge.dataset.key) })));
  }

  /** The template's starter themes, before any theme exists: keep, rename or drop each. */
  function renderStarters() {
    const offered = (found && found.starters) || [];
    if (!offered.length || starterSlot.contains(document.activeElement)) {
      if (!offered.length) swap(starterSlot);
      return;
    }
    const rows = offered.map((s, index) => {
      const keep = h("input", { type: "checkbox", id: `starter-keep-${index}`, checked: true });
      const name = h("input", { type: "text", id: `starter-name-${index}`, value: s.name, maxlength: 120, autocomplete: "off",
        "aria-label": t("starters.name") });
      return { s, keep, name, el: h("li", { class: "starter-row" },
        h("div", { class: "inline-row" }, keep, h("label", { for: `starter-keep-${index}`, class: "visually-hidden", text: t("starters.keep", { name: s.name }) }), name),
        s.description ? h("p", { class: "muted item-meta", text: s.description }) : null) };
    });
    swap(starterSlot, h("form", {
      class: "starter-form",
      onsubmit: async (event) => {
        event.preventDefault();
        let made = 0;
        for (const row of rows) {
          const value = row.name.value.trim();
          if (!row.keep.checked || !value) continue;
          const ack = await ctx.act("theme.create", { name: value, starter_key: row.s.key || null });
          if (ack && ack.ok) made += 1;
        }
        ctx.announce(t("starters.created", { n: made }));
      },
    },
    h("h3", { text: t("starters.heading") }), h("p", { class: "muted", text: t("starters.help") }),
    h("ul", { class: "plain-list" }, rows.map((row) => row.el)),
    h("button", { type: "submit", class: "btn btn-primary btn-small", "data-key": "starters-create", text: t("starters.create") })));
  }

  function render() {
    engineLine.textContent = !found || !found.engine ? "" : found.engine.meaning
      ? t("sugg.engine_meaning", { engine: found.engine.name.includes("e5") ? "e5" : found.engine.name })
      : t("sugg.engine_fallback");
    renderStarters();
    if (!found) {
      shown = null;
      return swap(body, h("p", { class: "muted", text: t("sugg.none_yet") }));
    }
    const themes = found.themes.map((s, i) => card("theme", s, i, themeSuggestion));
    const pairs = found.duplicates.map((d, i) => card("duplicate", d, i, duplicate));
    const keys = new Set([...found.themes, ...found.duplicates].map((s) => s.key));
    for (const key of [...cards.keys()]) if (!keys.has(key)) cards.delete(key);
    const now = [...themes, ...pairs].map((c) => c.el);
    // Nothing to change on screen: leave the DOM alone (focus, scroll and half-typed text stay).
    if (!shown || shown.length !== now.length || shown.some((el, i) => el !== now[i])) {
      shown = now;
      swap(body,
        h("h3", { text: t("sugg.themes") }),
        themes.length ? h("ul", { class: "plain-list sugg-list" }, themes.map((c) => c.el))
          : h("p", { class: "muted", text: t("sugg.no_themes") }),
        h("h3", { text: t("sugg.duplicates") }),
        pairs.length ? h("ul", { class: "plain-list sugg-list" }, pairs.map((c) => c.el))
          : h("p", { class: "muted", text: t("sugg.no_duplicates") }));
    }
    if (focusAfter) {
      const key = focusAfter;
      focusAfter = null;
      const target = el.querySelector(`[data-key="${CSS.escape(key)}"]`) || el.querySelector("[data-key^='sugg-accept-'], [data-key^='dup-merge-']");
      (target || heading).focus();
    }
    return null;
  }

  onSuggestions((body) => {
    found = body;
    render();
  });
  render();
  let asked = false;
  return {
    el,
    // Shown for the first time (connected by then): fetch once; the server pushes the rest.
    update() {
      if (asked) return;
      asked = true;
      load(false);
    },
  };
}
