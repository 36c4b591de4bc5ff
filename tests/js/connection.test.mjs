// The browser's connection (static/js/realtime.js) keeping a screen's state in sequence: changes
// out of order, repeated, or after a gap (which asks for a fresh snapshot), with the Socket.IO
// client replaced by tests/js/fake-socket.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { register } from "node:module";

const fake = new URL("./fake-socket.mjs", import.meta.url).href;
register(`data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.endsWith("/vendor/socket.io.esm.min.js")) return { url: ${JSON.stringify(fake)}, shortCircuit: true };
  return next(specifier, context);
}`)}`);
globalThis.window = { setTimeout, addEventListener() {} };
globalThis.document = { addEventListener() {}, visibilityState: "visible" };
const { connectLive } = await import("../../static/js/realtime.js");
const { sockets } = await import(fake);

const snapshot = (seq, items = []) => ({ version: seq, seq, role: "projector", workshop: { phase: "collect" },
  items, themes: [], now: new Date().toISOString() });
const added = (seq, id) => ({ type: "item.added", version: seq, seq,
  data: { item: { id, text: `item ${id}`, theme_id: null } } });
const settled = () => new Promise((resolve) => { setImmediate(resolve); });
const ids = (live) => live.state.items.map((item) => item.id);

function connected() {
  const live = connectLive({ role: "projector", token: "t" });
  return { live, socket: sockets.at(-1) };
}

test("changes apply in sequence; one already held is skipped", () => {
  const { live, socket } = connected();
  socket.deliver("snapshot", snapshot(5));
  socket.deliver("change", added(6, 1));
  socket.deliver("change", added(6, 1));
  socket.deliver("changes", { changes: [added(7, 2), added(8, 3)] });
  assert.deepEqual(ids(live), [1, 2, 3]);
  assert.equal(live.state.seq, 8);
  assert.equal(socket.asked.length, 0, "no resync was needed");
});

test("a gap asks for a fresh snapshot, and changes held meanwhile apply after it in order", async () => {
  const { live, socket } = connected();
  socket.deliver("snapshot", snapshot(5));
  socket.deliver("change", added(8, 3)); // 6 and 7 are missing
  assert.equal(socket.asked.length, 1);
  assert.deepEqual(socket.asked[0].event, "sync");
  assert.deepEqual(socket.asked[0].payload, { version: 5 });
  socket.deliver("change", added(7, 2)); // arrives while the resync is under way
  assert.deepEqual(ids(live), [], "nothing is applied out of order");
  socket.asked[0].answer({ ok: true, snapshot: snapshot(6, [{ id: 1, text: "item 1", theme_id: null }]) });
  await settled();
  assert.deepEqual(ids(live), [1, 2, 3]);
  assert.equal(live.state.seq, 8);
});

test("a change before the snapshot waits for it, and one the snapshot already holds is dropped", () => {
  const { live, socket } = connected();
  socket.deliver("change", added(5, 9)); // already in the snapshot below
  socket.deliver("change", added(6, 2));
  socket.deliver("snapshot", snapshot(5, [{ id: 9, text: "item 9", theme_id: null }]));
  assert.deepEqual(ids(live), [9, 2]);
});

test("`current` at the sequence held keeps the state and takes the phone's own ballot; at another, it resyncs", () => {
  const { live, socket } = connected();
  socket.deliver("snapshot", snapshot(5));
  socket.deliver("current", { seq: 5, me: { ballot: { 1: 2 } } });
  assert.deepEqual(live.state.me, { ballot: { 1: 2 } });
  assert.equal(socket.asked.length, 0);
  socket.deliver("current", { seq: 9 });
  assert.equal(socket.asked.length, 1);
  assert.equal(socket.asked[0].event, "sync");
});
