// The phone's latest-wins commands, the ballot and the advice: kept in localStorage until the
// server acknowledges them, resent with the same client id after a timeout, a reload or a
// reconnect, and sent one at a time so an older ballot can never overtake a newer one.

import { uuid } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./realtime.js";

/**
 * `status` is the view's state object {status, error, retry}; `texts` holds the announcement
 * when saved and the message when offline.
 */
export function createCommand(ctx, kind, event, status, texts) {
  let inFlight = null;

  async function send(entry) {
    if (inFlight) return; // the newest entry is sent when the one in flight is answered
    const clientId = entry.payload.client_id;
    inFlight = clientId;
    status.status = "sending";
    status.error = "";
    ctx.changed();
    let settled = false;
    try {
      const ack = await ctx.live.deliver(entry.event, entry.payload);
      settled = true;
      ctx.commands.done(kind, clientId);
      if (ack.ok) {
        if (ack.me && ctx.live.state) ctx.live.state.me = ack.me;
        status.status = "saved";
        status.retry = false;
        ctx.announce(texts.saved());
      } else {
        status.status = "failed";
        status.retry = false;
        status.error = errorMessage(ack, t);
      }
    } catch (error) {
      status.status = error.offline ? "pending" : "failed";
      status.retry = true;
      status.error = error.offline ? texts.offline() : errorMessage(error, t);
    } finally {
      inFlight = null;
    }
    const newer = ctx.commands.get(kind);
    if (settled && newer && newer.payload.client_id !== clientId) send(newer);
    else ctx.changed();
  }

  return {
    submit(payload) {
      send(ctx.commands.set(kind, event, payload, uuid()));
      if (inFlight) {
        status.status = "sending";
        ctx.changed();
      }
    },
    /** After (re)connecting: send what is still unacknowledged, with its original client id. */
    resend() {
      const entry = ctx.commands.get(kind);
      if (entry) send(entry);
    },
    pending() {
      const entry = ctx.commands.get(kind);
      return entry ? entry.payload : null;
    },
  };
}
