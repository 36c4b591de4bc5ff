// The browser's reducer as a service for the Python tests (tests/reducer.py): one JSON request
// a line on stdin, `{"received": [[kind, data], ...]}`, one JSON answer a line on stdout,
// `{"state": ...}` or `{"error": "..."}`. One process serves a whole test session, so a fold
// costs milliseconds rather than a Node start-up.
import { createInterface } from "node:readline";
import { replay } from "./fold.mjs";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let answer;
  try {
    answer = { state: replay(JSON.parse(line).received) };
  } catch (error) {
    answer = { error: String(error && error.stack ? error.stack : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
