// static/js/live-state.js, the reducer every screen runs, on the cases that matter most, by
// hand: a phone keeps to its own and the grouped items, grouping steps (merge, unmerge),
// withdrawal, a stricter setting, refused joins. Recorded streams: streams.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MODERATION_KEPT, applyChange, applyJoining, normalise, visibleItems } from "../../static/js/live-state.js";

const item = (id, extra = {}) => ({ id, text: `item ${id}`, lane: "challenge", theme_id: null, mentions: 1, ...extra });
let seq = 0;
const change = (type, data) => ({ type, data, seq: ++seq, version: seq });
const screen = (role, items = [], extra = {}) => normalise({ role, seq: 0, version: 0, items,
  themes: [{ id: 1, name: "Speed", position: 1 }], workshop: { phase: "aggregate", anonymity: "named" }, ...extra });
const ids = (state) => state.items.map((entry) => entry.id).sort((a, b) => a - b);

test("a phone never holds someone else's ungrouped item, and holds it once it is grouped", () => {
  const phone = screen("participant", [item(1, { mine: true })]);
  applyChange(phone, change("item.added", { item: item(2) }));
  applyChange(phone, change("item.updated", { item: item(3) }));
  assert.deepEqual(ids(phone), [1], "only its own");
  applyChange(phone, change("item.updated", { item: item(2, { theme_id: 1 }) }));
  assert.deepEqual(ids(phone), [1, 2]);
  applyChange(phone, change("theme.deleted", { id: 1, item_ids: [2] }));
  assert.deepEqual(ids(phone), [1], "ungrouped again: gone from the phone, its own item stays");
});

test("the console and projector hold every item, ungrouped too", () => {
  for (const role of ["facilitator", "projector"]) {
    const state = screen(role);
    applyChange(state, change("item.added", { item: item(2) }));
    assert.deepEqual(ids(state), [2], role);
  }
});

test("a merge takes the duplicate off the lists and the holder lists it; an unmerge brings it back", () => {
  const console_ = screen("facilitator", [item(1, { theme_id: 1 }), item(2, { theme_id: 1 })]);
  const holder = item(1, { theme_id: 1, mentions: 2, merged: [{ id: 2, text: "item 2", merged_into_id: 1 }] });
  applyChange(console_, change("themes.changed", { themes: [{ id: 1, name: "Speed", position: 1, merged: [] }],
    items: [holder], removed_item_ids: [2] }));
  assert.deepEqual(ids(console_), [1]);
  assert.equal(console_.items[0].mentions, 2);
  assert.deepEqual(console_.items[0].merged.map((entry) => entry.id), [2]);
  applyChange(console_, change("themes.changed", { themes: [{ id: 1, name: "Speed", position: 1, merged: [] }],
    items: [item(1, { theme_id: 1, merged: [] }), item(2, { theme_id: 1, merged: [] })], removed_item_ids: [] }));
  assert.deepEqual(ids(console_), [1, 2]);
  assert.equal(console_.items[0].mentions, 1);
  assert.deepEqual(console_.items[0].merged, []);
});

test("on a phone, an item a grouping step lists stands on its own, even one the phone held as merged", () => {
  const phone = screen("participant", [item(2, { mine: true, theme_id: 1, merged_into: { id: 1, text: "item 1" } })]);
  assert.deepEqual(visibleItems(phone).map((entry) => entry.id), [], "its merged item shows as part of the other");
  applyChange(phone, change("themes.changed", { themes: [{ id: 1, name: "Speed", position: 1 }],
    items: [item(2, { theme_id: 1 })], removed_item_ids: [] }));
  assert.equal(phone.items[0].merged_into, null);
  assert.equal(phone.items[0].mine, true, "still its own");
  assert.deepEqual(visibleItems(phone).map((entry) => entry.id), [2]);
});

test("a withdrawal takes the participant's items, advice and proposals off every screen", () => {
  const console_ = screen("facilitator", [item(1, { theme_id: 1, mentions: 2, merged: [{ id: 3, text: "x" }] }),
    item(2, { theme_id: 1 }), item(4)], {
    advice: [{ id: 7, text: "Start early" }, { id: 8, text: "Ask users" }],
    proposals: [{ id: 5, theme_id: 1 }, { id: 6, theme_id: 1 }],
  });
  applyChange(console_, change("contributions.withdrawn", { item_ids: [2, 3], advice_ids: [8], proposal_ids: [6],
    comment_ids: [], items: [item(1, { theme_id: 1, merged: [] })], turnout: { voted: 0, participants: 1 } }));
  assert.deepEqual(ids(console_), [1, 4]);
  assert.deepEqual(console_.items.find((entry) => entry.id === 1).merged, [], "nothing quotes what went");
  assert.deepEqual(console_.advice.map((entry) => entry.id), [7]);
  assert.deepEqual(console_.proposals.map((entry) => entry.id), [5]);
  assert.deepEqual(console_.turnout, { voted: 0, participants: 1 });
});

test("an item merged into a withdrawn one stands on its own again on its author's phone", () => {
  const phone = screen("participant", [item(3, { mine: true, theme_id: 1, merged_into: { id: 2, text: "gone" } })]);
  applyChange(phone, change("contributions.withdrawn", { item_ids: [2], items: [item(3, { theme_id: 1 })] }));
  assert.deepEqual(ids(phone), [3]);
  assert.equal(phone.items[0].merged_into, null);
  assert.ok(!JSON.stringify(phone).includes("gone"));
});

test("a stricter setting takes names off every item at once, and perspectives off all but the console", () => {
  const setup = { lanes: [], tags: [], perspectives: [], anonymity: "anonymous", show_authors: false,
    assess_items: false, similar_hint: false };
  for (const role of ["facilitator", "projector", "participant"]) {
    const state = screen(role, [item(1, { theme_id: 1, author: "Anna", perspective: "buyer", mine: true })]);
    applyChange(state, change("setup.changed", setup));
    assert.equal("author" in state.items[0], false, role);
    assert.equal("perspective" in state.items[0], role === "facilitator", role);
  }
});

test("the console's count of refused joins only grows, whichever message comes first", () => {
  const console_ = screen("facilitator", [], { joining: { open: true, refused: 0 } });
  applyJoining(console_, { joining: { refused: 2 } });
  applyChange(console_, change("joining.changed", { joining: { open: false, refused: 1 } }));
  assert.deepEqual(console_.joining, { open: false, refused: 2 });
  const projector = screen("projector");
  applyJoining(projector, { joining: { refused: 3 } });
  assert.equal(projector.joining, undefined, "only the console keeps joining");
});

test("a hidden item leaves every screen but the console, which keeps it to restore", () => {
  const hidden = item(1, { theme_id: 1, hidden: true });
  const console_ = screen("facilitator", [item(1, { theme_id: 1 })]);
  const projector = screen("projector", [item(1, { theme_id: 1 })]);
  applyChange(console_, change("item.hidden", { item: hidden }));
  applyChange(projector, change("item.hidden", { item: hidden }));
  assert.deepEqual(ids(console_), [1]);
  assert.deepEqual(visibleItems(console_), []);
  assert.deepEqual(ids(projector), []);
  applyChange(projector, change("item.edited", { item: hidden }));
  assert.deepEqual(ids(projector), [], "an edit to a hidden item does not bring it back");
});

test("a ballot's turnout is the current round's, on the console's and projector's round rows", () => {
  const rounds = [{ id: 1, current: false, voted: 4 }, { id: 2, current: true, voted: 1 }];
  const console_ = screen("facilitator", [], { rounds: structuredClone(rounds) });
  applyChange(console_, change("turnout.changed", { turnout: { voted: 3, participants: 9 }, results: null }));
  assert.deepEqual(console_.rounds.map((round) => round.voted), [4, 3]);
  const phone = screen("participant", [], { rounds: rounds.map(({ voted, ...round }) => round) });
  applyChange(phone, change("turnout.changed", { turnout: { voted: 3, participants: 9 }, results: null }));
  assert.ok(phone.rounds.every((round) => !("voted" in round)), "a phone's rounds never count voters");
});

test("a change to the themes replaces every revealed round's results; the moderation trail keeps the newest", () => {
  const console_ = screen("facilitator", [], { round_results: { 1: { entries: [{ entry_id: 1 }, { entry_id: 2 }] } },
    moderation: Array.from({ length: MODERATION_KEPT }, (_, n) => ({ action: "item.hide", n })) });
  applyChange(console_, change("theme.deleted", { id: 2, item_ids: [], round_results: { 1: { entries: [{ entry_id: 1 }] } },
    trail: { action: "item.add" } }));
  assert.deepEqual(console_.round_results[1].entries, [{ entry_id: 1 }]);
  assert.equal(console_.moderation.length, MODERATION_KEPT);
  assert.equal(console_.moderation[0].action, "item.add");
});
