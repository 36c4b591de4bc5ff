// Every recorded change stream (tests/js/streams, committed; and $LIVE_STREAMS, written by the
// realtime, end-to-end and fault tests while they run) folds, by static/js/live-state.js, to
// the state the server reported for that screen at that sequence.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inStep } from "./in-step.mjs";

const committed = fileURLToPath(new URL("./streams", import.meta.url));
const folders = [committed, process.env.LIVE_STREAMS].filter((folder) => folder && existsSync(folder));

const files = folders.flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith(".json"))
  .sort().map((name) => join(folder, name)));

test("some recorded streams are there to replay", () => {
  assert.ok(readdirSync(committed).filter((name) => name.endsWith(".json")).length >= 5);
});

for (const file of files) {
  test(`replays ${file}`, () => {
    const stream = JSON.parse(readFileSync(file, "utf8"));
    const { live, expected } = inStep(stream);
    assert.deepEqual(live, expected, `${stream.test} (${stream.role})`);
  });
}
