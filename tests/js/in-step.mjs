// "The deltas alone keep a screen equal to its snapshot": what a recorded stream folds to, and
// what the screen would hold had it just been sent the snapshot the server gave at that same
// sequence, both in the shape compared.
import { replay } from "./fold.mjs";

// Not workshop state: the server's clock when it answered, and the version (a phone hears only
// the changes of its own sequence, `seq`, so its version lags behind the workshop's).
const NOT_STATE = new Set(["now", "version"]);

// Known differences between what the changes carry and what a snapshot holds: each is to be
// closed on the server (the change should carry what the snapshot holds), and until then is
// left out of the comparison here, and only here, so that any other difference still fails.
export const KNOWN_DIFFERENCES = {
  // theme.deleted carries `results` but not `round_results`, so a deleted theme stays in a
  // revealed round's results (no screen reads `round_results` yet).
  round_results: (state) => { delete state.round_results; },
  // A ballot moves `turnout` but not the console's `rounds[].voted` (the console shows the
  // turnout for the current round), and a phone's rounds delta is shaped for the projector,
  // so it counts `voted`, which a phone's snapshot leaves out.
  rounds_voted: (state) => {
    if (Array.isArray(state.rounds)) state.rounds = state.rounds.map(({ voted, ...round }) => round);
  },
  // The console's trail entry a change carries differs from the snapshot's: its time has a
  // zone, its detail is shorter, and an item added on paper is not pushed at all.
  moderation: (state) => { delete state.moderation; },
  // The console's pre-work counts ride only on some changes: an item or a join leaves them stale.
  prework: (state) => { delete state.prework; },
  // In a named workshop a phone's snapshot names an item's author, but the items a grouping step
  // (themes.changed, services/aggregation.py `_public_item`) sends phones carry no author.
  phone_item_authors: (state) => {
    if (state.role === "participant" && Array.isArray(state.items)) for (const item of state.items) delete item.author;
  },
};

function comparable(state, keys) {
  const shown = {};
  for (const key of keys) shown[key] = structuredClone(state[key]);
  shown.role = state.role;
  for (const list of ["items", "proposals"]) {
    // A broadcast change does not say whose a record is (a phone's own are marked `mine`), and
    // an item merged into nothing may say so with `merged_into: null` or not at all.
    if (!Array.isArray(shown[list])) continue;
    shown[list] = shown[list].map(({ merged_into: into, ...record }) => ({
      ...record, mine: Boolean(record.mine), ...(into ? { merged_into: into } : {}),
    })).sort((a, b) => a.id - b.id);
  }
  for (const leaveOut of Object.values(KNOWN_DIFFERENCES)) leaveOut(shown);
  return shown;
}

/** `{live, expected}` for one stream `{received, fresh}`: the first folded from what the screen
 * received, the second from the fresh snapshot alone, over the keys that snapshot carries. */
export function inStep(stream) {
  const keys = Object.keys(stream.fresh).filter((key) => !NOT_STATE.has(key));
  return {
    live: comparable(replay(stream.received), keys),
    expected: comparable(replay([["snapshot", stream.fresh]]), keys),
  };
}
