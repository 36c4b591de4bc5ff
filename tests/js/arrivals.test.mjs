// static/js/dom.js `arrivals`: arrivals within the wait are said once, and one taken away
// meanwhile (hidden, withdrawn) is no longer news, so it is never said after the action that
// took it away.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.window = { setTimeout, clearTimeout };
const { arrivals } = await import("../../static/js/dom.js");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("arrivals within the wait are said once, leaving out what is no longer news", async () => {
  const said = [];
  const gone = new Set();
  const arrived = arrivals((message) => said.push(message), (item) => `new ${item.id}`, (n) => `${n} new`, 20,
    (item) => !gone.has(item.id));
  arrived({ id: 1 });
  arrived({ id: 2 });
  gone.add(2); // hidden before the announcement
  await sleep(60);
  assert.deepEqual(said, ["new 1"]);
  arrived({ id: 3 });
  gone.add(3);
  await sleep(60);
  assert.deepEqual(said, ["new 1"], "nothing left to say: nothing said");
});
