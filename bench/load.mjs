// The load generator: N phones in one workshop, with a projector and a console listening.
//
// Usage: node bench/load.mjs CONFIG.json RESULT.json   (bench/run.py writes the config)
//
// Node rather than Python: one event loop holds a thousand Socket.IO clients cheaply, so on a
// 2-core machine shared with the server the clients are not what gets measured. Latencies are
// taken on this one clock: an item's send time, its ack, and its arrival on the projector.
// Every wait below is bounded in time; the script only connects to the URLs it is given.
import { readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { performance, monitorEventLoopDelay } from "node:perf_hooks";
import { io } from "socket.io-client";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = process.argv[3];
const app = cfg.mode === "app";
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[${cfg.mode}]`, ...a);
const PERSPECTIVES = ["buyer", "requester", "end_user", "supplier", "legal", "management"];
// Like a phone (static/js/realtime.js): an ack not back in 8 s is resent with the same client_id,
// after a growing pause, and a rate-limited event waits and goes again; both bounded.
const ACK_TIMEOUT = 8_000, TRIES = 6;
const resends = { ack_timeout: 0, disconnected: 0, rate_limited: 0 };

// --- the server processes, read from /proc --------------------------------------------------
function serverSample() {
  let rssKb = 0, cpuTicks = 0;
  for (const pid of cfg.pids) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
    cpuTicks += Number(fields[11]) + Number(fields[12]);               // utime, stime
  }
  // Busy time of the whole machine, so the report can show what other processes took meanwhile.
  const all = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const busyTicks = all.reduce((a, b) => a + b, 0) - all[3] - all[4];  // less idle and iowait
  const usage = process.cpuUsage();
  return { t: now(), rss_kb: rssKb, cpu_s: cpuTicks / cfg.clk_tck, client_cpu_s: (usage.user + usage.system) / 1e6,
           machine_busy_s: busyTicks / cfg.clk_tck };
}
const samples = {};
let disconnects = 0;  // connections that dropped (and reconnected, mostly), counted at every mark
const dropReasons = {};
const dropped = (who) => (reason) => { disconnects++; const k = `${who}: ${reason}`; dropReasons[k] = (dropReasons[k] ?? 0) + 1; };
const mark = (name) => { samples[name] = { ...serverSample(), disconnects }; log(name, JSON.stringify(samples[name])); };

// --- sockets ---------------------------------------------------------------------------------
function connect(url, role, token) {
  const socket = io(url, { auth: { role, token, lang: "en" }, transports: ["websocket"], forceNew: true,
                           reconnectionAttempts: 20, reconnectionDelayMax: 5_000, timeout: 30_000 });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role}: no snapshot in 30 s`)), 30_000);
    socket.once("snapshot", (snap) => { clearTimeout(timer); resolve(snap); });
    socket.once("connect_error", (err) => { clearTimeout(timer); reject(err); });
  });
  return { socket, ready };
}

function call(socket, event, payload, timeout = ACK_TIMEOUT) {
  return new Promise((resolve) => {
    socket.timeout(timeout).emit(event, payload, (err, ack) =>
      resolve(err ? { ok: false, error: { code: socket.connected ? "ack_timeout" : "disconnected", message: String(err) } } : ack));
  });
}

/** Send until acknowledged, as a phone's outbox does; the answer of the last try. */
async function send(socket, event, payload) {
  let ack;
  for (let attempt = 0; attempt < TRIES; attempt++) {
    if (!socket.connected) await waitUntil(() => socket.connected, 30_000);
    ack = await call(socket, event, payload);
    const code = ack?.error?.code;
    if (!(code in resends)) return ack;
    resends[code]++;
    const retryAfter = Number(ack.error.retry_after ?? 0) * 1000;
    await sleep(Math.max(retryAfter, 500 * 2 ** attempt));
  }
  return ack;
}

async function waitUntil(predicate, ms) {
  const deadline = now() + ms;
  while (!predicate() && now() < deadline) await sleep(20);
  return predicate();
}

async function post(url, body) {
  const res = await fetch(url, { method: "POST", body: JSON.stringify(body),
                                 headers: { "Content-Type": "application/json" } });
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

const errors = {};
const countError = (ack) => { const c = ack?.error?.code ?? "no_ack"; errors[c] = (errors[c] ?? 0) + 1; };

// --- the scenario ----------------------------------------------------------------------------
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const result = { mode: cfg.mode, participants: cfg.participants, servers: cfg.urls.length, errors };

let code = null, facilitator = "bare", projectorToken = "bare";
if (app) {
  const made = await post(`${cfg.urls[0]}/api/workshops`, { question: "How do we buy better meals for schools?", language: "en" });
  ({ code, facilitator_token: facilitator, projector_token: projectorToken } = made);
}
// The projector on the first server, the console on the last (the other one when there are two).
const projector = connect(cfg.urls[0], "projector", projectorToken);
const consoleSock = connect(cfg.urls[cfg.urls.length - 1], "facilitator", facilitator);
await Promise.all([projector.ready, consoleSock.ready]);
if (app) {
  // A new think tank opens in pre-work; the room's burst comes once the facilitator opens Collect.
  const ack = await send(consoleSock.socket, "phase.set", { phase: "collect" });
  if (!ack?.ok) throw new Error(`phase.set collect: ${JSON.stringify(ack)}`);
}
projector.socket.on("disconnect", dropped("projector"));
consoleSock.socket.on("disconnect", dropped("console"));
const projectorSeen = new Map();            // client_id -> ms after send
const projectorCounts = new Map();          // client_id -> how many item.added arrived
const sentAt = new Map();                   // client_id -> send time
function projectorGot(change) {
  if (change.type !== "item.added") return;
  const id = change.data.item.client_id;
  projectorCounts.set(id, (projectorCounts.get(id) ?? 0) + 1);
  if (!projectorSeen.has(id) && sentAt.has(id)) projectorSeen.set(id, now() - sentAt.get(id));
}
projector.socket.on("change", projectorGot);
// The app sends the changes one batch committed together as one message.
projector.socket.on("changes", (batch) => batch.changes.forEach(projectorGot));
await sleep(500);
mark("before_join");

// Join and connect the phones, `ramp` at a time: one phone's join is its POST plus its socket's
// connect and first snapshot. Ramping keeps the connect storm from being what is measured.
const phones = [];
let phoneEvents = 0;
const joinMs = [];
const joinStart = now();
for (let first = 0; first < cfg.participants; first += cfg.ramp) {
  const batch = [];
  for (let i = first; i < Math.min(first + cfg.ramp, cfg.participants); i++) {
    batch.push((async () => {
      const t0 = now();
      const url = cfg.urls[i % cfg.urls.length];
      const perspective = PERSPECTIVES[i % PERSPECTIVES.length];
      const joined = app ? await post(`${url}/api/workshops/${code}/participants`, { perspective, name: null })
                         : { token: `bare-${i}`, participant: { id: i, perspective } };
      const phone = connect(url, "participant", joined.token);
      phone.socket.on("change", () => { phoneEvents++; });
      phone.socket.on("changes", (batch) => { phoneEvents += batch.changes.length; });
      phone.socket.on("disconnect", dropped("phone"));
      await phone.ready;
      joinMs.push(now() - t0);
      phones[i] = { socket: phone.socket, perspective, id: joined.participant.id };
    })());
  }
  await Promise.all(batch);
}
const joinSeconds = (now() - joinStart) / 1000;
Object.assign(result, { join_seconds: joinSeconds, joins_per_s: cfg.participants / joinSeconds, join_ms: joinMs });
log(`joined ${cfg.participants} in ${joinSeconds.toFixed(1)} s`);
await sleep(1000);
mark("connected");

// The submit burst: every phone sends `items` items at random moments within `window_s`,
// without waiting for its earlier acks (a phone's outbox sends as soon as someone hits Send).
const submitAckMs = [], acked = new Map();  // client_id -> lane/text as acknowledged
const submitStart = now();
let lastSubmitAck = submitStart;
const sends = [];
for (const phone of phones) {
  for (let k = 0; k < cfg.items; k++) {
    const delay = Math.random() * cfg.window_s * 1000;
    sends.push(sleep(delay).then(async () => {
      const item = { client_id: randomUUID().replaceAll("-", ""), lane: k % 2 ? "success_factor" : "challenge",
                     text: `Item ${k + 1} from a ${phone.perspective}: clearer requirements on delivery times` };
      sentAt.set(item.client_id, now());
      const ack = await send(phone.socket, "item.submit", item);
      if (ack?.ok) {
        submitAckMs.push(now() - sentAt.get(item.client_id));
        acked.set(item.client_id, item);
        lastSubmitAck = now();
      } else countError(ack);
    }));
  }
}
await Promise.all(sends);
await waitUntil(() => [...acked.keys()].every((id) => projectorSeen.has(id)), 30_000);
const submitSeconds = (lastSubmitAck - submitStart) / 1000;
Object.assign(result, { submit_ack_ms: submitAckMs, submits_acked: acked.size, submit_seconds: submitSeconds,
                        projector_ms: [...acked.keys()].filter((id) => projectorSeen.has(id)).map((id) => projectorSeen.get(id)),
                        projector_missing: [...acked.keys()].filter((id) => !projectorSeen.has(id)).length,
                        projector_duplicates: [...projectorCounts.values()].filter((n) => n > 1).length });
log(`submitted ${acked.size} items in ${submitSeconds.toFixed(1)} s`);
mark("submitted");

// Themes and the move to voting, from the console (the bare server has neither).
let themeIds = ["1", "2", "3", "4", "5"];
if (app) {
  const steps = [["phase.set", { phase: "aggregate" }]];
  for (let t = 1; t <= cfg.themes; t++) steps.push(["theme.create", { name: `Theme ${t}` }]);
  themeIds = [];
  for (const [event, payload] of steps) {
    const ack = await send(consoleSock.socket, event, payload);
    if (!ack?.ok && ack?.error?.code !== "phase_unchanged") throw new Error(`${event}: ${JSON.stringify(ack)}`);
    if (ack.theme) themeIds.push(String(ack.theme.id));
  }
  const ack = await send(consoleSock.socket, "phase.set", { phase: "prioritise" });
  if (!ack?.ok && ack?.error?.code !== "phase_unchanged") throw new Error(`phase.set prioritise: ${JSON.stringify(ack)}`);
}
const ballotOf = (i) => ({ [themeIds[i % themeIds.length]]: 2, [themeIds[(i + 1) % themeIds.length]]: 2,
                           [themeIds[(i + 2) % themeIds.length]]: 1 });

// Does the server take a client_id on ballot.set yet? Ask once, before the burst.
let ballotClientId = true;
const probe = await send(phones[0].socket, "ballot.set", { client_id: randomUUID().replaceAll("-", ""), allocation: ballotOf(0) });
if (!probe?.ok && probe?.error?.code === "invalid" && JSON.stringify(probe.error).includes("client_id")) ballotClientId = false;
else if (!probe?.ok) countError(probe);
result.ballot_client_id = ballotClientId;
await sleep(1000);
mark("before_vote");

// The vote burst: every phone sends its whole ballot at once.
const ballotAckMs = [], ballotsAcked = new Map();  // participant index -> allocation
const voteStart = now();
let lastBallotAck = voteStart;
await Promise.all(phones.map(async (phone, i) => {
  const allocation = ballotOf(i);
  const payload = ballotClientId ? { client_id: randomUUID().replaceAll("-", ""), allocation } : { allocation };
  const t0 = now();
  const ack = await send(phone.socket, "ballot.set", payload);
  if (ack?.ok) { ballotAckMs.push(now() - t0); ballotsAcked.set(i, allocation); lastBallotAck = now(); }
  else countError(ack);
}));
const voteSeconds = (lastBallotAck - voteStart) / 1000;
const dots = [...ballotsAcked.values()].reduce((s, a) => s + Object.values(a).reduce((x, y) => x + y, 0), 0);
Object.assign(result, { ballot_ack_ms: ballotAckMs, ballots_acked: ballotsAcked.size, dots_acked: dots,
                        vote_seconds: voteSeconds, votes_per_s: voteSeconds > 0 ? dots / voteSeconds : 0 });
log(`voted ${ballotsAcked.size} ballots (${dots} dots) in ${voteSeconds.toFixed(2)} s`);
mark("voted");

// Nothing lost, nothing doubled: the console's fresh snapshot after revealing the results.
if (app) {
  const reveal = await send(consoleSock.socket, "results.reveal", { revealed: true });
  if (!reveal?.ok) throw new Error(`results.reveal: ${JSON.stringify(reveal)}`);
  const synced = await send(consoleSock.socket, "sync", { version: 0 });
  if (!synced?.ok) throw new Error(`sync: ${JSON.stringify(synced)}`);
  const snap = synced.snapshot;
  const stored = new Map();
  for (const item of snap.items) stored.set(item.client_id, [...(stored.get(item.client_id) ?? []), item]);
  let lost = 0, duplicated = 0;
  for (const [id, sent] of acked) {
    const copies = stored.get(id) ?? [];
    if (copies.length === 0 || copies[0].text !== sent.text || copies[0].lane !== sent.lane) lost++;
  }
  // Items whose every ack failed may still have been stored; that is in doubt, not lost.
  const unackedStored = [...sentAt.keys()].filter((id) => !acked.has(id) && stored.has(id)).length;
  // Any client_id stored twice is a duplicate, acknowledged or not.
  duplicated = [...stored.values()].filter((copies) => copies.length > 1).length;
  // Ballots: the tally by theme and perspective must hold every acknowledged ballot; a ballot
  // whose ack never came (its phone dropped) may or may not be stored, so it widens the bounds.
  const acknowledged = {}, unknown = {};
  phones.forEach((phone, i) => {
    const into = ballotsAcked.has(i) ? acknowledged : unknown;
    for (const [theme, n] of Object.entries(ballotOf(i))) {
      const key = `${theme}/${phone.perspective}`;
      into[key] = (into[key] ?? 0) + n;
    }
  });
  const tallied = {};
  for (const entry of snap.results?.entries ?? [])
    for (const [perspective, n] of Object.entries(entry.by_perspective ?? {})) if (n) tallied[`${entry.theme_id}/${perspective}`] = n;
  const keys = Object.keys({ ...acknowledged, ...unknown, ...tallied });
  const tallyShort = keys.filter((k) => (tallied[k] ?? 0) < (acknowledged[k] ?? 0)).length;
  const tallyOver = keys.filter((k) => (tallied[k] ?? 0) > (acknowledged[k] ?? 0) + (unknown[k] ?? 0)).length;
  // ...and each phone's own stored ballot (from its `sync`) must be the one it sent.
  let ballotMismatches = 0;
  const indexes = [...ballotsAcked.keys()];
  for (let first = 0; first < indexes.length; first += 20) {
    await Promise.all(indexes.slice(first, first + 20).map(async (i) => {
      const mine = await send(phones[i].socket, "sync", { version: 0 });
      const stored = mine?.snapshot?.me?.ballot ?? {};
      const sent = ballotsAcked.get(i);
      const same = Object.keys({ ...sent, ...stored }).every((k) => (sent[k] ?? 0) === (stored[k] ?? 0));
      if (!same) ballotMismatches++;
    }));
  }
  Object.assign(result, { lost: lost + ballotMismatches + tallyShort, duplicated: duplicated + tallyOver,
                          items_lost: lost, unacked_stored: unackedStored, ballot_mismatches: ballotMismatches, tally_short: tallyShort,
                          tally_over: tallyOver, turnout: snap.turnout, stored_items: snap.items.length });
} else {
  Object.assign(result, { lost: 0, duplicated: 0 });
}
mark("verified");

Object.assign(result, { samples, resends, drop_reasons: dropReasons, phone_change_events: phoneEvents, disconnects,
                        client_loop_delay_p99_ms: loop.percentile(99) / 1e6, client_loop_delay_max_ms: loop.max / 1e6 });
writeFileSync(out, JSON.stringify(result));
for (const phone of phones) { phone.socket.off("disconnect"); phone.socket.disconnect(); }
for (const screen of [projector, consoleSock]) { screen.socket.off("disconnect"); screen.socket.disconnect(); }
log("done");
process.exit(0);
