// The workshop state a screen holds, and how each `change` delta updates it. Pure functions
// on plain objects: the connection (realtime.js) calls them, and so can any screen's code.

/** How many moderation entries the console's snapshot holds (services/views.py MODERATION_KEPT). */
export const MODERATION_KEPT = 50;

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
    case "joining.changed":
      applyJoining(state, data);
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
    case "comment.handled":
      // The facilitator marked what was done with a comment (accepted, changed, noted).
      if (state.review) upsert(state.review.comments || (state.review.comments = []), data.comment);
      break;
    case "review.responded":
      // Agree/disagree counts per theme, for the console (never who answered).
      if (state.review) state.review.responses = data.responses;
      break;
    case "contributions.withdrawn": {
      // Someone withdrew their contributions: their items and advice are gone everywhere.
      const items = new Set(data.item_ids || []);
      const advice = new Set(data.advice_ids || []);
      state.items = state.items.filter((item) => !items.has(item.id));
      if (state.advice) state.advice = state.advice.filter((entry) => !advice.has(entry.id));
      const proposals = new Set(data.proposal_ids || []);
      if (state.proposals) state.proposals = state.proposals.filter((entry) => !proposals.has(entry.id));
      const comments = new Set(data.comment_ids || []);
      for (const key of ["comments", "mine"]) {
        if (state.review && Array.isArray(state.review[key])) {
          state.review[key] = state.review[key].filter((entry) => !comments.has(entry.id));
        }
      }
      // Items that were merged into a withdrawn one stand on their own again, and those that
      // held one come with what is merged into them now; nothing shown may quote what went.
      for (const item of data.items || []) {
        upsert(state.items, state.role === "participant" ? { ...item, merged_into: null } : item);
      }
      if ("spotlight" in data) state.spotlight = data.spotlight;
      if (Array.isArray(data.moderation)) state.moderation = data.moderation;
      if (state.review && Array.isArray(data.review_responses)) state.review.responses = data.review_responses;
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
    case "item.supported": {
      // Someone added their support to an item: its count (and, where shown, perspectives) grows
      // on every screen that holds it; a phone that does not hold it adds nothing.
      const held = state.items.find((item) => item.id === data.item_id);
      if (held && "mentions" in data) held.mentions = data.mentions;
      if (held && data.perspectives) held.perspectives = data.perspectives;
      break;
    }
    case "setup.changed":
      state.lanes = data.lanes || state.lanes;
      state.tags = data.tags || state.tags;
      state.perspectives = data.perspectives || state.perspectives;
      state.workshop.anonymity = data.anonymity;
      state.workshop.assess_items = Boolean(data.assess_items);
      state.workshop.similar_hint = Boolean(data.similar_hint);
      // A stricter setting takes the names off every item this screen holds, at once; outside a
      // named workshop only the console sees perspectives (an item's, and its statement's).
      if (!data.show_authors) for (const item of state.items) delete item.author;
      if (state.role !== "facilitator" && data.anonymity !== "named") {
        for (const item of state.items) {
          delete item.perspective;
          delete item.perspectives;
        }
      }
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
  // Moderation and set-up changes carry the console's trail entry (the snapshot holds the latest
  // MODERATION_KEPT, services/views.py moderation_trail).
  if (data.trail && Array.isArray(state.moderation)) {
    state.moderation.unshift(data.trail);
    state.moderation.length = Math.min(state.moderation.length, MODERATION_KEPT);
  }
  // The console's undo history rides on every grouping change it receives.
  if (data.aggregation) state.aggregation = data.aggregation;
  // Ballots, reveals and theme edits carry the turnout and results as they now stand; the
  // turnout is the current round's, which the console and projector also show in its row.
  if (data.turnout) {
    state.turnout = data.turnout;
    const current = (state.rounds || []).find((round) => round.current);
    if (current && "voted" in current) current.voted = data.turnout.voted;
  }
  if ("results" in data) state.results = data.results ?? null;
  // A change to the themes carries every revealed round's results (a theme is a theme round's entry).
  if ("round_results" in data) state.round_results = data.round_results || {};
  if (data.prework) state.prework = data.prework; // the console's pre-work counts
  // A statement said once more or less without a grouping step (a supporter withdrew, a merged
  // duplicate was hidden or restored): its item's new counts, for a screen that holds it.
  if (Array.isArray(data.counts)) applyCounts(state, data.counts);
  if (state.role === "participant") keepPhoneItems(state);
}

/** Update the items this screen holds with `counts` entries (`{id, mentions, perspectives?,
 * merged?}`); an item it does not hold is never added (a phone holds its own and the grouped). */
export function applyCounts(state, counts) {
  for (const entry of counts) {
    const held = state.items.find((item) => item.id === entry.id);
    if (held) Object.assign(held, entry);
  }
}

/** Joining opened or closed (a `joining.changed` delta), or one more join refused (the console's
 * unversioned `joining` event, which may overtake a delta: the count only ever grows). Only the
 * console's snapshot holds `joining`; other screens keep none. */
export function applyJoining(state, data) {
  if (!state || !state.joining || !data || !data.joining) return;
  const refused = Math.max(state.joining.refused || 0, data.joining.refused || 0);
  state.joining = { ...state.joining, ...data.joining, refused };
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

export function normalise(snapshot) {
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
