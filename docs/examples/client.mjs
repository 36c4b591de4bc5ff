// A small participant client of the Behovsworkshop realtime protocol (docs/realtime.md).
//
// It joins a workshop over the JSON API, connects over Socket.IO with the token it got, submits
// one item and, if the workshop is voting, sets a ballot. Every step is printed as one JSON line.
//
//   npm install socket.io-client     (version 4.7 or later; Node 18 or later for fetch)
//   node client.mjs https://workshop.example.org K7M2QX [sv]
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";

const RESEND_AFTER = new Set(["rate_limited", "server_error"]); // errors after which the same command is resent
const say = (event, fields = {}) => console.log(JSON.stringify({ event, ...fields }));
const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const newClientId = () => randomUUID().replaceAll("-", "");

// Send a command until the server acknowledges it, always with the SAME client_id. A resend of a
// command already applied is answered ok with duplicate: true and changes nothing.
async function sendUntilAcked(socket, event, payload, attempts = 10) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let ack;
    try {
      // While disconnected, socket.io-client buffers the packet and sends it after reconnecting.
      ack = await socket.timeout(10_000).emitWithAck(event, payload);
    } catch {
      await sleep(1); // no ack in time (slow server, or a lost connection): resend
      continue;
    }
    if (ack.ok) return [ack, attempt];
    if (RESEND_AFTER.has(ack.error.code)) { // refused for now, not for good
      await sleep(ack.error.retry_after ?? 1);
      continue;
    }
    return [ack, attempt]; // any other error is final: show its message, drop the command
  }
  return [{ ok: false, error: { code: "no_ack", message: `No answer after ${attempts} tries.` } }, attempts];
}

// A whole ballot in the current round's method: here simply the themes in their order.
function ballotFor(voting, themes) {
  const ids = themes.map((theme) => theme.id);
  if (voting.method === "matrix") {
    return { ratings: Object.fromEntries(ids.map((id) => [id, { impact: 4, feasibility: 3 }])) };
  }
  if (voting.method === "ranking") return { ranking: ids };
  const allocation = {};
  let left = voting.dots; // dots: at most max_per_entry on one theme
  for (const id of ids) {
    const give = Math.min(left, voting.max_per_entry);
    if (give) { allocation[id] = give; left -= give; }
  }
  return { allocation };
}

const [server, code, lang = "en"] = process.argv.slice(2);
if (!server || !code) {
  console.error("usage: node client.mjs SERVER_URL JOIN_CODE [en|sv]");
  process.exit(2);
}
const url = server.replace(/\/$/, "");

// 1. Join over the JSON API; the token is this participant's identity from now on.
const joined = await fetch(`${url}/api/workshops/${code}/participants`, {
  method: "POST",
  headers: { "Content-Type": "application/json", "Accept-Language": lang },
  body: JSON.stringify({ perspective: "buyer" }),
});
const body = await joined.json();
if (joined.status !== 201) {
  say("join", { ok: false, status: joined.status, message: body.error.message });
  process.exit(1);
}
say("join", { ok: true, participant_id: body.participant.id });

// 2. Register handlers BEFORE connecting: the server sends the snapshot from its connect handler,
//    so it can arrive before the "connect" event. withCredentials: true makes socket.io-client
//    under Node keep the balancer's sticky cookie (docs/deployment.md); without it a long-polling
//    client reaches another process at its next request and is refused "Session ID unknown".
const socket = io(url, {
  autoConnect: false,
  withCredentials: true,
  auth: { role: "participant", token: body.token, lang },
});
let state = null;
const firstSnapshot = new Promise((resolve, reject) => {
  socket.on("snapshot", (snapshot) => { state = snapshot; resolve(); }); // again after each reconnect
  socket.on("connect_error", (err) => reject(err)); // err.data = {code, message}, e.g. bad_token
  setTimeout(() => reject(new Error("No snapshot arrived.")), 10_000);
});
socket.connect();
try {
  await firstSnapshot;
} catch (err) {
  say("connect", { ok: false, message: err.data?.message ?? err.message });
  process.exit(1);
}
say("snapshot", { version: state.version, phase: state.workshop.phase });

// 3. One item, with a client_id made once and kept for every resend.
const item = { client_id: newClientId(), lane: state.lanes[0].key, text: "Example item from client.mjs" };
let [ack, tries] = await sendUntilAcked(socket, "item.submit", item);
if (ack.ok) {
  say("item.submit", { ok: true, client_id: item.client_id, item_id: ack.item.id,
                       duplicate: ack.duplicate ?? false, attempts: tries });
} else {
  say("item.submit", { ok: false, client_id: item.client_id, code: ack.error.code, message: ack.error.message });
}

// 4. A ballot, only while the workshop votes on themes (a proposals round is left out here).
const { phase, voting } = state.workshop;
if (phase !== "prioritise" || (voting.target ?? "themes") !== "themes") {
  say("ballot.set", { skipped: true, phase });
} else {
  const ballot = { client_id: newClientId(), round_id: voting.round_id, ...ballotFor(voting, state.themes) };
  [ack, tries] = await sendUntilAcked(socket, "ballot.set", ballot);
  if (ack.ok) say("ballot.set", { ok: true, client_id: ballot.client_id, ballot: ack.me.ballot, attempts: tries });
  else say("ballot.set", { ok: false, code: ack.error.code, message: ack.error.message });
}

socket.disconnect();
process.exit(0);
