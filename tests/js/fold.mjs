// What a screen holds after the messages it received: the last snapshot with every later
// message folded in by the browser's own reducer (static/js/live-state.js), in arrival order,
// as static/js/realtime.js does on a connection that needs no resync. The integration tests
// run it under Node (tests/reducer.py) and so do the recorded streams (live-state.test.mjs).
import { applyChange, applyJoining, normalise, upsert } from "../../static/js/live-state.js";

/** Fold received messages, `[[kind, data], ...]` in arrival order, from the last `snapshot`.
 * A change the screen already holds is skipped; a gap in the sequence is an error (the browser
 * would ask for a fresh snapshot there, so the deltas alone did not keep it in step). */
export function replay(received) {
  const start = received.map(([kind]) => kind).lastIndexOf("snapshot");
  if (start === -1) throw new Error("no snapshot received");
  const state = normalise(structuredClone(received[start][1]));
  for (const [kind, data] of received.slice(start + 1)) receive(state, kind, structuredClone(data));
  delete state.clockOffset; // this device's clock, not the workshop's state
  return state;
}

/** One message, as realtime.js (and console.js for `joining`) handles it; `ack` is the answer
 * to a command this screen sent. */
export function receive(state, kind, data) {
  switch (kind) {
    case "change":
      if (data.seq <= state.seq) return;
      if (data.seq !== state.seq + 1) throw new Error(`gap before seq ${data.seq} (holding ${state.seq})`);
      applyChange(state, data);
      state.seq = data.seq;
      state.version = data.version;
      return;
    case "changes": // a group commit's changes, in order
      for (const change of data.changes) receive(state, "change", change);
      return;
    case "me":
      state.me = data.me;
      return;
    case "item": // one of this phone's own items, from another of its tabs
      upsert(state.items, data.item);
      return;
    case "proposal":
      upsert(state.proposals, data.proposal);
      return;
    case "joining": // a refused join, told to the console alone (not a versioned change)
      applyJoining(state, data);
      return;
    case "ack":
      // What a phone's own command was answered with, as its screens keep it: the stored item
      // (participant-collect.js), the ballot and advice (participant-commands.js), a proposal.
      if (data.item) upsert(state.items, { ...data.item, mine: true });
      if (data.me) state.me = data.me;
      if (data.proposal) upsert(state.proposals, data.proposal);
      return;
    case "current":
      // Nothing changed while away but perhaps its own ballot and items; at another sequence
      // the browser resyncs, which a recorded snapshot would show.
      if (data.seq !== state.seq) throw new Error(`current at seq ${data.seq} while holding ${state.seq}`);
      if (data.me) state.me = data.me;
      for (const item of data.items || []) upsert(state.items, item);
      return;
    default:
      return; // suggestions and other screen-only messages hold no workshop state
  }
}
