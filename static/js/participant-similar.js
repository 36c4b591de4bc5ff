// "Something similar is already here": when the facilitator has turned it on, the phone asks
// before sending whether the room already holds what the participant wrote (item.similar) and,
// if so, shows those contributions (their text and count, never who wrote them) with "Add my
// support" for each and "Send mine anyway". Asking never stands between a participant and
// sending: offline, an error or no answer within SIMILAR_WAIT sends as usual, and the text is
// kept until one of the choices is made.

import { h, uuid } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./realtime.js";
import { saidMark } from "./said.js";

export const SIMILAR_WAIT = 1500;

/** Before sending `entry` ({lane, text}): `send()` it, or let the participant back a similar one
 * (then `done()`); `form` is where the choice is shown. */
export async function beforeSend(ctx, state, form, entry, { send, done }) {
  const live = ctx.live;
  state = (live && live.state) || state; // the hint may have been turned on since the form was made
  if (!state.workshop.similar_hint || !live || !live.connected) {
    send();
    return;
  }
  let similar = [];
  try {
    const ack = await live.request("item.similar", { text: entry.text, lane: entry.lane }, SIMILAR_WAIT);
    similar = (ack && ack.ok && Array.isArray(ack.similar)) ? ack.similar : [];
  } catch (error) {
    similar = [];
  }
  if (!similar.length || !form.isConnected) {
    send();
    return;
  }
  showChoice(ctx, state, form, similar, { send, done });
}

function showChoice(ctx, state, form, similar, { send, done }) {
  form.querySelector(".similar-panel")?.remove();
  const error = h("p", { class: "field-error", role: "alert" });
  const close = () => panel.remove();
  const panel = h("section", { class: "similar-panel card notice", "aria-labelledby": "similar-heading" },
    h("h3", { id: "similar-heading", tabindex: "-1", text: t("similar.heading") }),
    h("p", { class: "hint", text: t("similar.intro") }),
    h("ul", { class: "item-list" }, similar.map((item) => h("li", { class: "item-card" },
      h("p", { class: "item-text", lang: state.workshop.language || null, text: item.text }),
      saidMark(state, item),
      h("button", {
        type: "button", class: "btn btn-small", text: t("similar.support"),
        "aria-label": t("similar.support_item", { text: item.text.slice(0, 60) }),
        onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          try {
            const ack = await ctx.live.deliver("item.support", { item_id: item.id, client_id: uuid() });
            if (ack.ok) {
              close();
              ctx.announce(t("similar.supported"));
              done();
              return;
            }
            error.textContent = errorMessage(ack, t);
          } catch (failure) {
            error.textContent = errorMessage(failure, t);
          }
          button.disabled = false;
        },
      })))),
    error,
    h("button", {
      type: "button", class: "btn btn-primary btn-block", text: t("similar.send_anyway"),
      onclick: () => { close(); send(); },
    }));
  form.append(panel);
  panel.querySelector("#similar-heading").focus();
}
