// "Withdraw my contributions": the participant's right to take back everything they gave
// (items, dots, advice and name), in every phase. Two steps, both buttons, so it is never one
// slip of a thumb, and nothing is removed on this screen until the server says it is done.

import { h, swap } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./realtime.js";

export function withdrawPanel(ctx) {
  const body = h("div", { class: "withdraw-body" });
  const status = h("p", { class: "small withdraw-status", role: "status" });
  const el = h("details", { class: "card withdraw" },
    h("summary", { class: "panel-summary", text: t("withdraw.heading") }),
    h("p", { class: "small", text: t("withdraw.explain") }), body, status);
  let step = "idle";

  function show(next, message = "") {
    step = next;
    status.textContent = message;
    if (step === "confirm") {
      swap(body, h("div", { class: "withdraw-actions" },
        h("button", { type: "button", class: "btn btn-danger", text: t("withdraw.confirm"), onclick: send }),
        h("button", { type: "button", class: "btn btn-quiet", text: t("action.cancel"), onclick: () => show("idle") })));
      body.querySelector("button").focus();
    } else {
      swap(body, h("button", { type: "button", class: "btn btn-quiet", text: t("withdraw.button"),
                               disabled: step === "sending", onclick: () => show("confirm") }));
    }
  }

  async function send() {
    show("sending", t("withdraw.sending"));
    try {
      const ack = await ctx.live.deliver("contributions.withdraw", {});
      if (!ack.ok) return show("idle", errorMessage(ack, t));
      const state = ctx.live.state;
      if (state) {
        state.items = state.items.filter((item) => !item.mine);
        if (ack.me) state.me = ack.me;
        if (ack.review) state.review = ack.review; // their comments on the draft went too
      }
      ctx.announce(t("withdraw.done"));
      show("idle", t("withdraw.done"));
      ctx.changed();
    } catch (error) {
      show("idle", error.offline ? t("withdraw.offline") : errorMessage(error, t));
    }
  }

  show("idle");
  return { el };
}
