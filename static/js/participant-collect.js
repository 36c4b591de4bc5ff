// Collecting items on the phone: the composer, the outbox that sends and retries, and the
// "Your items" list where every item shows sending / saved / failed.

import { h, swap, counter, uuid, badge } from "./dom.js";
import { t, tn } from "./i18n.js";
import { Outbox, PENDING, SENDING, FAILED } from "./outbox.js";
import { upsert, errorMessage } from "./realtime.js";
import { composerExtras, extrasPayload, missingExtras, itemMarks, ownItemControls } from "./participant-own-items.js";
import { saidMark } from "./said.js";
import { beforeSend } from "./participant-similar.js";

export const ITEM_MAX = 280;

/** Sends outbox entries with acks; keeps them until the server confirms. */
export function createSender(ctx) {
  const outbox = new Outbox(ctx.code);

  async function send(entry) {
    const id = entry.client_id;
    if (!ctx.live || !ctx.live.connected) {
      outbox.update(id, { state: PENDING, error: "", retry: true });
      ctx.changed();
      return;
    }
    outbox.update(id, { state: SENDING, error: "" });
    ctx.changed();
    try {
      const ack = await ctx.live.deliver("item.submit", {
        client_id: id, lane: entry.lane, text: entry.text, ...extrasPayload(entry),
      });
      if (ack.ok) {
        outbox.remove(id);
        const state = ctx.live.state;
        if (ack.item && state) upsert(state.items, { ...ack.item, mine: true });
        ctx.announce(t("item.saved_announce"));
      } else {
        outbox.update(id, { state: FAILED, error: errorMessage(ack, t), retry: false });
        ctx.announce(t("item.failed_announce"));
      }
    } catch (error) {
      outbox.update(id, {
        state: error.offline ? PENDING : FAILED,
        error: error.offline ? "" : errorMessage(error, t),
        retry: true,
      });
    }
    ctx.changed();
  }
  const sending = new Set();
  async function sendOnce(entry) {
    // One send per item at a time: a reconnect while an ack is awaited must not start another.
    if (sending.has(entry.client_id)) return;
    sending.add(entry.client_id);
    try {
      await send(entry);
    } finally {
      sending.delete(entry.client_id);
    }
  }

  return {
    outbox,
    submit(lane, text, extras = {}) {
      const clientId = uuid();
      outbox.add({ client_id: clientId, lane, text, ...extrasPayload(extras) });
      sendOnce(outbox.get(clientId));
    },
    retry(clientId) {
      const entry = outbox.get(clientId);
      if (entry) sendOnce(entry);
    },
    remove(clientId) {
      outbox.remove(clientId);
      ctx.changed();
    },
    flush() {
      for (const entry of outbox.due()) sendOnce(entry);
    },
    reconcile(state) {
      outbox.reconcile(new Set(state.items.filter((item) => item.client_id).map((item) => item.client_id)));
    },
  };
}

function laneName(state, key) {
  const lane = state.lanes.find((entry) => entry.key === key);
  return lane ? lane.name : key;
}

/** The form to write an item. Its draft lives in ctx.draft so phase flips never lose it. */
export function composer(ctx, state) {
  const draft = ctx.draft;
  if (!draft.lane || !state.lanes.some((lane) => lane.key === draft.lane)) {
    draft.lane = state.lanes.length ? state.lanes[0].key : "";
  }
  const text = h("textarea", {
    id: "item-text", name: "text", rows: 4, maxlength: ITEM_MAX, required: true,
    lang: state.workshop.language || null, "aria-describedby": "item-count item-error", value: draft.text,
    oninput: () => { draft.text = text.value; error.textContent = ""; },
  });
  const count = h("p", { id: "item-count", class: "counter" });
  const error = h("p", { id: "item-error", class: "field-error" });
  const chips = h("fieldset", { class: "chips" },
    h("legend", { text: t("compose.lane") }),
    state.lanes.map((lane) => h("label", { class: "chip" },
      h("input", {
        type: "radio", name: "lane", value: lane.key, checked: lane.key === draft.lane,
        onchange: () => { draft.lane = lane.key; },
      }),
      h("span", { text: lane.name }))));
  const form = h("form", {
    class: "card composer", novalidate: true, "aria-labelledby": "compose-heading",
    onsubmit: (event) => {
      event.preventDefault();
      const value = text.value.trim();
      if (!value) {
        error.textContent = t("compose.empty");
        text.focus();
        return;
      }
      const missing = missingExtras(draft, state);
      if (missing) {
        error.textContent = missing;
        form.querySelector(".assessment-choice input")?.focus();
        return;
      }
      const lane = draft.lane;
      const extras = { ...draft };
      const clear = () => {
        draft.text = "";
        text.value = "";
        text.dispatchEvent(new Event("input"));
        text.focus();
      };
      // With the facilitator's "something similar" hint on, the phone may offer to back one instead.
      beforeSend(ctx, state, form, { lane, text: value }, {
        send: () => { ctx.sender.submit(lane, value, extras); clear(); },
        done: clear,
      });
    },
  },
  h("h2", { id: "compose-heading", text: t("compose.heading") }),
  h("p", { class: "hint composer-intro", text: t("collect.intro") }),
  chips,
  composerExtras(draft, state),
  h("label", { for: "item-text", class: "label", text: t("compose.text_label") }),
  text, count, error,
  h("button", { type: "submit", class: "btn btn-primary btn-block", text: t("compose.send") }));
  counter(text, count);
  return form;
}

/** "Your items": unsent entries first, then what the server holds, newest first. */
export function myItems(ctx, { showSaved = true } = {}) {
  const section = h("section", { class: "my-items", "aria-labelledby": "mine-heading" });
  let signature = "";
  function update(state) {
    const unsent = ctx.sender.outbox.entries.slice().reverse();
    const saved = showSaved
      ? state.items.filter((item) => item.mine).sort((a, b) => b.id - a.id)
      : [];
    const next = JSON.stringify([ctx.online, unsent, ctx.editing || null, state.tags,
      saved.map((i) => [i.id, i.text, i.lane, i.tag, i.assessment, i.theme_id, i.author, i.merged_into, i.mentions]),
      state.themes.map((theme) => [theme.id, theme.name])]);
    if (next === signature) return;
    signature = next;
    if (!showSaved && !unsent.length) {
      swap(section);
      return;
    }
    const heading = showSaved ? tn("mine.heading", unsent.length + saved.length) : t("mine.unsent_heading");
    swap(section,
      h("h2", { id: "mine-heading", text: heading }),
      !unsent.length && !saved.length ? h("p", { class: "muted", text: t("mine.empty") }) : null,
      h("ul", { class: "item-list" },
        unsent.map((entry) => unsentRow(ctx, state, entry)),
        saved.map((item) => h("li", { class: `item-card${item.merged_into ? " item-card-merged" : ""}` },
          h("span", { class: "lane-tag", text: laneName(state, item.lane) }),
          itemMarks(state, item),
          h("p", { class: "item-text", lang: state.workshop.language || null, text: item.text }),
          item.merged_into ? null : saidMark(state, item),
          h("div", { class: "item-status" }, badge("saved", t("status.saved"))),
          ownItemControls(ctx, state, item)))));
  }
  return { el: section, update };
}

function unsentRow(ctx, state, entry) {
  let status;
  if (entry.state === SENDING) status = badge("sending", t("status.sending"));
  else if (entry.state === FAILED) status = badge("failed", t("status.failed"));
  else status = badge("pending", ctx.online ? t("status.sending") : t("status.waiting"));
  const failed = entry.state === FAILED;
  return h("li", { class: `item-card${failed ? " item-card-failed" : ""}` },
    h("span", { class: "lane-tag", text: laneName(state, entry.lane) }),
    h("p", { class: "item-text", lang: state.workshop.language || null, text: entry.text }),
    h("div", { class: "item-status" }, status,
      failed && entry.error ? h("p", { class: "field-error", text: entry.error }) : null,
      failed ? h("div", { class: "item-actions" },
        h("button", {
          type: "button", class: "btn btn-small", "data-key": `retry-${entry.client_id}`,
          text: t("action.retry"), onclick: () => ctx.sender.retry(entry.client_id),
        }),
        h("button", {
          type: "button", class: "btn btn-small btn-quiet", text: t("action.discard"),
          "aria-label": t("action.discard_item", { text: entry.text.slice(0, 40) }),
          onclick: () => ctx.sender.remove(entry.client_id),
        })) : null));
}

/** The collect (and pre-work) screen. */
export function collectView(ctx, state) {
  const mine = myItems(ctx);
  let form = composer(ctx, state);
  // The facilitator may add tags or rename lanes meanwhile: the composer follows (its draft is kept).
  const setupOf = (s) => JSON.stringify([s.lanes, s.tags, s.workshop.assess_items, s.workshop.anonymity]);
  let setupKey = setupOf(state);
  return {
    el: [form, mine.el],
    update(next) {
      const key = setupOf(next);
      if (key !== setupKey && form.isConnected) {
        setupKey = key;
        const fresh = composer(ctx, next);
        form.replaceWith(fresh);
        form = fresh;
      }
      mine.update(next);
    },
  };
}
