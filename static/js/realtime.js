// The shared realtime client: connects with a role and token, keeps a versioned copy of the
// workshop state (snapshot + `change` deltas), and asks for a fresh snapshot on any gap.

import { io } from "../vendor/socket.io.esm.min.js";

const ACK_TIMEOUT = 8000;
const RETRIES = 3; // resends of one command after an ack timed out, before it is shown as failed

const sleep = (ms) => new Promise((resolve) => { window.setTimeout(resolve, ms); });

/** Apply one `change` delta to `state` in place. Unknown types are ignored. */
export function applyChange(state, change) {
  const data = change.data || {};
  switch (change.type) {
    case "item.added":
    case "item.updated":
      upsert(state.items, data.item);
      break;
    case "theme.added":
    case "theme.updated":
      upsert(state.themes, data.theme);
      state.themes.sort((a, b) => (a.position - b.position) || (a.id - b.id));
      break;
    case "theme.deleted": {
      state.themes = state.themes.filter((theme) => theme.id !== data.id);
      const moved = new Set(data.item_ids || []);
      for (const item of state.items) {
        if (moved.has(item.id) || item.theme_id === data.id) item.theme_id = null;
      }
      if (state.me && Array.isArray(state.me.ballot)) state.me.ballot = state.me.ballot.filter((id) => id !== data.id);
      else if (state.me && state.me.ballot) delete state.me.ballot[String(data.id)];
      if (state.proposals) state.proposals = state.proposals.filter((p) => p.theme_id !== data.id);
      break;
    }
    case "phase.changed":
      state.workshop.phase = data.phase;
      if ("timer" in data) state.timer = data.timer; // a timer and a spotlight belong to their phase
      if ("spotlight" in data) state.spotlight = data.spotlight;
      break;
    case "timer.changed":
      state.timer = data.timer;
      setClock(state, data.now);
      break;
    case "spotlight.changed":
      state.spotlight = data.spotlight;
      break;
    case "proposal.added":
    case "proposal.updated":
      upsert(state.proposals, data.proposal);
      break;
    case "participants.changed":
      state.participants = data.participants;
      break;
    case "results.changed":
      state.workshop.results_revealed = Boolean(data.results_revealed);
      if (data.rounds) applyRounds(state, data);
      break;
    case "rounds.changed":
      applyRounds(state, data);
      break;
    case "advice.changed":
      upsert(state.advice, data.advice);
      break;
    case "review.changed":
      // The validation round opened, closed or was finalised (which also closes the workshop).
      state.review = { ...(state.review || {}), ...data.review };
      if (data.phase) state.workshop.phase = data.phase;
      break;
    case "comment.added":
      if (state.review) upsert(state.review.comments || (state.review.comments = []), data.comment);
      break;
    case "contributions.withdrawn": {
      // Someone withdrew their contributions: their items and advice are gone everywhere.
      const items = new Set(data.item_ids || []);
      const advice = new Set(data.advice_ids || []);
      state.items = state.items.filter((item) => !items.has(item.id));
      if (state.advice) state.advice = state.advice.filter((entry) => !advice.has(entry.id));
      const proposals = new Set(data.proposal_ids || []);
      if (state.proposals) state.proposals = state.proposals.filter((entry) => !proposals.has(entry.id));
      break;
    }
    case "item.restored":
    case "item.edited":
      // A console hears of edits to hidden items too; other screens only get items they may show.
      if (state.role === "facilitator" || !(data.item && data.item.hidden)) upsert(state.items, data.item);
      break;
    case "item.hidden":
      // The console keeps the hidden item (to restore it); every other screen drops it.
      if (state.role === "facilitator") upsert(state.items, data.item);
      else if (data.item) state.items = state.items.filter((item) => item.id !== data.item.id);
      break;
    case "setup.changed":
      state.lanes = data.lanes || state.lanes;
      state.tags = data.tags || state.tags;
      state.perspectives = data.perspectives || state.perspectives;
      state.workshop.anonymity = data.anonymity;
      state.workshop.assess_items = Boolean(data.assess_items);
      // A stricter setting takes the names off every item this screen holds, at once.
      if (!data.show_authors) for (const item of state.items) delete item.author;
      break;
    case "themes.changed": {
      // A grouping step (merge, unmerge, split, move, undo): the themes as they now stand and
      // the items it moved; items merged into another one leave the lists.
      state.themes = (data.themes || []).slice().sort((a, b) => (a.position - b.position) || (a.id - b.id));
      const gone = new Set(data.removed_item_ids || []);
      state.items = state.items.filter((item) => !gone.has(item.id));
      // The items it lists stand on their own (an unmerged one too); an author's phone hears
      // personally when one of theirs was merged into another.
      for (const item of data.items || []) {
        upsert(state.items, state.role === "participant" ? { ...item, merged_into: null } : item);
      }
      break;
    }
    default:
      break;
  }
  // Moderation and set-up changes carry the console's trail entry.
  if (data.trail && Array.isArray(state.moderation)) state.moderation.unshift(data.trail);
  // The console's undo history rides on every grouping change it receives.
  if (data.aggregation) state.aggregation = data.aggregation;
  // Ballots, reveals and theme edits carry the turnout and results as they now stand.
  if (data.turnout) state.turnout = data.turnout;
  if ("results" in data) state.results = data.results ?? null;
  if (data.prework) state.prework = data.prework; // the console's pre-work counts
  if (state.role === "participant") keepPhoneItems(state);
}

/** Remember how far this device's clock is from the server's, so countdowns are skew-safe. */
export function setClock(state, serverNow) {
  const at = Date.parse(serverNow || "");
  if (!Number.isNaN(at)) state.clockOffset = at - Date.now();
}

/** The server's time now, as far as this screen can tell. */
export function serverNow(state) {
  return Date.now() + ((state && state.clockOffset) || 0);
}

/** Voting rounds: the list, the current round's rules, every revealed round's results; a phone
 * shows its own ballot in the round that is now current. */
function applyRounds(state, data) {
  state.rounds = data.rounds || [];
  state.round_results = data.round_results || {};
  if (data.voting) state.workshop.voting = data.voting;
  const current = state.rounds.find((round) => round.current);
  state.workshop.results_revealed = Boolean(current && current.revealed);
  if (state.me && data.voting) {
    const ballots = state.me.ballots || {};
    state.me.round_id = data.voting.round_id;
    state.me.ballot = ballots[String(data.voting.round_id)] || (data.voting.method === "ranking" ? [] : {});
  }
}

/** A phone holds its own items and the grouped ones, as its snapshot does. */
export function keepPhoneItems(state) {
  state.items = state.items.filter((item) => item.mine || item.theme_id !== null);
}

/** Items every screen shows: hidden (moderated) items never appear, nor does a phone's own item
 * that was merged into another (it counts as part of that one). */
export function visibleItems(state) {
  return state.items.filter((item) => !item.hidden && !item.merged_into);
}

/** The visible items of one theme (`null` for the ungrouped ones). */
export function themeItems(state, themeId) {
  return visibleItems(state).filter((item) => item.theme_id === themeId);
}

/** Insert or replace a record with an `id` in a list. */
export function upsert(list, record) {
  if (!record || !Array.isArray(list)) return;
  const index = list.findIndex((entry) => entry.id === record.id);
  if (index === -1) list.push(record);
  else list[index] = { ...list[index], ...record };
}

function normalise(snapshot) {
  const state = snapshot;
  state.items = state.items || [];
  state.themes = (state.themes || []).slice().sort((a, b) => (a.position - b.position) || (a.id - b.id));
  state.advice = state.advice || [];
  state.lanes = state.lanes || [];
  state.perspectives = state.perspectives || [];
  state.tags = state.tags || [];
  state.participants = state.participants || { count: 0, by_perspective: {} };
  state.turnout = state.turnout || { voted: 0, participants: 0 };
  state.workshop = state.workshop || {};
  state.workshop.phases = state.workshop.phases || [];
  state.workshop.phase_titles = state.workshop.phase_titles || {};
  state.workshop.voting = state.workshop.voting || { method: "dots", dots: 5, max_per_entry: 3 };
  state.proposals = state.proposals || [];
  state.timer = state.timer || null;
  state.spotlight = state.spotlight || null;
  setClock(state, state.now);
  return state;
}

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
  const message = errorOrAck && errorOrAck.error && errorOrAck.error.message;
  return message || t("error.generic");
}
