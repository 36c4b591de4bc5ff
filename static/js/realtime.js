// The shared realtime client: connects with a role and token, keeps a versioned copy of the
// workshop state (snapshot + `change` deltas), and asks for a fresh snapshot on any gap.

import { io } from "../vendor/socket.io.esm.min.js";
import { applyChange, normalise, upsert } from "./live-state.js";

// What the screens import from here, kept where it was before the state moved to live-state.js.
export { applyChange, serverNow, setClock, keepPhoneItems, visibleItems, themeItems, upsert } from "./live-state.js";

const ACK_TIMEOUT = 8000;
const RETRIES = 3; // resends of one command after an ack timed out, before it is shown as failed
// The protocol's limit on one packet (docs/realtime.md). A larger command is never sent: the
// server would answer it payload_too_large (or, far larger, close the connection), so resending
// it could never succeed. It fails at once, as an ack of that code, which the outbox keeps as
// failed (not to be retried) and shows with a translated message.
export const MAX_PAYLOAD = 8192;
const encoder = new TextEncoder();

/** The command as an error ack when its packet would exceed the limit; null when it may go. */
export function tooLarge(event, payload) {
  // The packet is `42<ack id>[event, payload]`: 16 bytes hold its prefix.
  const size = 16 + encoder.encode(JSON.stringify([event, payload])).length;
  if (size <= MAX_PAYLOAD) return null;
  return { ok: false, error: { code: "payload_too_large", message: "", max_bytes: MAX_PAYLOAD } };
}

const sleep = (ms) => new Promise((resolve) => { window.setTimeout(resolve, ms); });

/**
 * Connect and keep state. Callbacks (all optional):
 *   onSnapshot(state), onChange(change, state), onMe(me, state),
 *   onStatus("online" | "offline" | "connecting"), onRefused(error) for connect_error.
 * Returns {socket, request(event, payload), get state(), close()}.
 */
export function connectLive({ role, token, onSnapshot, onChange, onMe, onItem, onStatus, onRefused }) {
  let state = null;
  let seq = -1; // the last change held, in this role's sequence (phones have their own)
  let syncing = false;
  let pending = [];
  // Sent on every (re)connect: a screen that already holds the latest change gets only `current`.
  const socket = io({ auth: (send) => send({ role, token, since: state ? seq : null }) });

  const status = (value) => onStatus && onStatus(value);

  function request(event, payload = {}, timeout = ACK_TIMEOUT) {
    return new Promise((resolve, reject) => {
      if (!socket.connected) {
        const error = new Error("offline");
        error.offline = true;
        reject(error);
        return;
      }
      const refused = tooLarge(event, payload);
      if (refused) {
        resolve(refused);
        return;
      }
      socket.timeout(timeout).emit(event, payload, (err, ack) => {
        if (err) {
          const error = new Error("timeout");
          error.timeout = true;
          reject(error);
        } else {
          resolve(ack || { ok: false, error: { code: "no_ack", message: "" } });
        }
      });
    });
  }

  function setSnapshot(snapshot) {
    state = normalise(snapshot);
    seq = Number(snapshot.seq) || 0;
    if (onSnapshot) onSnapshot(state);
    drain();
  }

  function drain() {
    pending.sort((a, b) => a.seq - b.seq);
    while (pending.length) {
      const change = pending[0];
      if (change.seq <= seq) {
        pending.shift();
      } else if (change.seq === seq + 1) {
        pending.shift();
        apply(change);
      } else {
        sync();
        return;
      }
    }
  }

  function apply(change) {
    applyChange(state, change);
    seq = change.seq;
    state.seq = seq;
    state.version = change.version;
    if (onChange) onChange(change, state);
  }

  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      const ack = await request("sync", { version: Math.max(seq, 0) });
      syncing = false;
      if (ack.ok && ack.snapshot) setSnapshot(ack.snapshot);
    } catch {
      syncing = false; // the next change or reconnect tries again
    }
  }

  let busyTries = 0;
  socket.on("connect", () => {
    busyTries = 0;
    status("online");
  });
  socket.on("disconnect", (reason) => {
    status("offline");
    if (reason === "io server disconnect") socket.connect();
  });
  // A phone whose screen locked or whose tab slept may have lost its connection without the
  // client noticing yet: look again as soon as it is back.
  const wake = () => {
    if (document.visibilityState !== "hidden" && !socket.connected) socket.connect();
  };
  document.addEventListener("visibilitychange", wake);
  window.addEventListener("online", wake);
  window.addEventListener("pageshow", wake);
  socket.io.on("reconnect_attempt", () => status("connecting"));
  socket.on("connect_error", (err) => {
    if (!socket.active && err.data && err.data.code === "server_busy") {
      // The server refused for now, not for good: try again, a little later each time.
      status("connecting");
      busyTries += 1;
      window.setTimeout(() => socket.connect(), Math.min(10000, 500 * 2 ** busyTries) + Math.random() * 1000);
      return;
    }
    if (!socket.active) {
      if (onRefused) onRefused({ message: err.data?.message || err.message, code: err.data?.code || "" });
    } else {
      status("offline");
    }
  });
  socket.on("snapshot", (snapshot) => {
    pending = pending.filter((change) => change.seq > (Number(snapshot.seq) || 0));
    setSnapshot(snapshot);
  });
  socket.on("current", (current) => {
    // Nothing this screen shows changed while it was away, except perhaps its own ballot and
    // items (from another tab): take those, and carry on from the same sequence.
    if (!state || Number(current.seq) !== seq) {
      sync();
      return;
    }
    if (current.me) state.me = current.me;
    for (const item of current.items || []) upsert(state.items, item);
    if (onSnapshot) onSnapshot(state);
  });
  function received(change) {
    if (!change || typeof change.seq !== "number") return;
    if (state === null || syncing) {
      pending.push(change);
      return;
    }
    if (change.seq <= seq) return;
    if (change.seq !== seq + 1) {
      pending.push(change);
      sync();
      return;
    }
    apply(change);
  }
  socket.on("change", received);
  // Several changes committed together (a burst of items) arrive as one message, in order.
  socket.on("changes", (batch) => {
    for (const change of (batch && Array.isArray(batch.changes)) ? batch.changes : []) received(change);
  });
  socket.on("me", (payload) => {
    if (!state || !payload) return;
    state.me = payload.me;
    if (onMe) onMe(state.me, state);
  });
  socket.on("proposal", (payload) => {
    // One of this participant's own proposals, from another of their tabs.
    if (!state || !payload || !payload.proposal) return;
    upsert(state.proposals, payload.proposal);
    if (onChange) onChange({ type: "proposal.mine", data: payload }, state);
  });
  socket.on("item", (payload) => {
    if (!state || !payload || !payload.item) return;
    upsert(state.items, payload.item);
    if (onItem) onItem(payload.item, state);
  });

  /**
   * Send a command until it is acknowledged: an ack that timed out is resent (the client id
   * makes that harmless), and a rate-limited one waits as long as the server says. Rejects with
   * `offline` when there is no connection, or `timeout` when every try timed out.
   */
  async function deliver(event, payload) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const ack = await request(event, payload);
        const limited = !ack.ok && ack.error && ack.error.code === "rate_limited";
        if (!limited || attempt >= RETRIES) return ack;
        await sleep(Math.min(30, Number(ack.error.retry_after) || 1) * 1000 + Math.random() * 500);
      } catch (error) {
        if (error.offline || attempt >= RETRIES) throw error;
        await sleep(Math.min(8000, 500 * 2 ** attempt) + Math.random() * 500);
      }
    }
  }

  return {
    socket,
    request,
    deliver,
    get state() {
      return state;
    },
    get connected() {
      return socket.connected;
    },
    close() {
      socket.disconnect();
    },
  };
}

/** Turn a rejected request or a failed ack into one translated, user-facing message. */
export function errorMessage(errorOrAck, t) {
  if (errorOrAck && errorOrAck.offline) return t("error.offline");
  if (errorOrAck && errorOrAck.timeout) return t("error.timeout");
  const code = errorOrAck && errorOrAck.error && errorOrAck.error.code;
  if (code === "payload_too_large" && !errorOrAck.error.message) return t("error.too_large");
  const message = errorOrAck && errorOrAck.error && errorOrAck.error.message;
  return message || t("error.generic");
}
