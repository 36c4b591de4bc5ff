// "The deltas alone keep a screen equal to its snapshot": what a recorded stream folds to, and
// what the screen would hold had it just been sent the snapshot the server gave at that same
// sequence, both in the shape compared.
import { replay } from "./fold.mjs";

// Not workshop state: the server's clock when it answered, and the version (a phone hears only
// the changes of its own sequence, `seq`, so its version lags behind the workshop's).
const NOT_STATE = new Set(["now", "version"]);

// Known differences between what the changes carry and what a snapshot holds: each is to be
// closed on the server (the change should carry what the snapshot holds), and until then would be
// left out of the comparison here, and only here, so that any other difference still fails.
export const KNOWN_DIFFERENCES = {
  // None: every difference once listed here was fixed on the server (a key named here is left out
  // of the comparison; add one only with the reason, and fix it).
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
