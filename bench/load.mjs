// The load generator: N phones in one workshop, with a projector and a console listening.
//
// Usage: node bench/load.mjs CONFIG.json RESULT.json   (bench/run.py writes the config)
//
// With `generators` > 1 in the config, this process forks that many minus one more copies of
// itself (`--phones K`), each holding every K-th phone: one Node process runs out of CPU before
// the server does at several thousand phones on a small machine. This process keeps the projector,
// the console and the first share of the phones, and tells the others when to join, submit and
// vote (child_process IPC). Times cross processes as absolute times (performance.timeOrigin).
//
// Node rather than Python: one event loop holds a thousand Socket.IO clients cheaply, so on a
// 2-core machine shared with the server the clients are not what gets measured. Latencies are
// taken on this one clock: an item's send time, its ack, and its arrival on the projector.
// Every wait below is bounded in time; the script only connects to the URLs it is given.
import { readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { performance, monitorEventLoopDelay } from "node:perf_hooks";
import { io } from "socket.io-client";
import { fork } from "node:child_process";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = process.argv[3];
// A phone-holding generator process: `--phones SHARE` (SHARE of `generators`), driven by the main one.
const share = process.argv[4] === "--phones" ? Number(process.argv[5]) : 0;
const generators = Math.max(1, cfg.generators ?? 1);
const app = cfg.mode === "app";
const now = () => performance.timeOrigin + performance.now();  // comparable across processes
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[${cfg.mode}${share ? ` ${share}` : ""}]`, ...a);
const PERSPECTIVES = ["buyer", "requester", "end_user", "supplier", "legal", "management"];
// Like a phone (static/js/realtime.js): an ack not back in 8 s is resent with the same client_id,
// after a growing pause, and a rate-limited event waits and goes again; both bounded.
const ACK_TIMEOUT = 8_000, TRIES = 6;
const resends = { ack_timeout: 0, disconnected: 0, rate_limited: 0 };

// --- the server processes, read from /proc --------------------------------------------------
function ticksOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}
const workers = [];  // the forked phone-holding generators (main process only)
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
  // The load generator's own CPU: this process and every phone-holding one it forked.
  let clientTicks = 0;
  for (const pid of [process.pid, ...workers.map((w) => w.child.pid)]) {
    try { clientTicks += ticksOf(pid); } catch { /* a generator that already ended */ }
  }
  return { t: now(), rss_kb: rssKb, cpu_s: cpuTicks / cfg.clk_tck, client_cpu_s: clientTicks / cfg.clk_tck,
           machine_busy_s: busyTicks / cfg.clk_tck, generators };
}
const samples = {};
let disconnects = 0;  // connections that dropped (and reconnected, mostly), counted at every mark
const dropReasons = {};
const dropped = (who) => (reason) => { disconnects++; const k = `${who}: ${reason}`; dropReasons[k] = (dropReasons[k] ?? 0) + 1; };
const mark = (name, extra = {}) => { samples[name] = { ...serverSample(), disconnects, ...extra }; log(name, JSON.stringify(samples[name])); };

// --- sockets ---------------------------------------------------------------------------------
function connect(url, role, token) {
  const socket = io(url, { auth: { role, token, lang: "en" }, transports: ["websocket"], forceNew: true,
                           reconnectionAttempts: 20, reconnectionDelayMax: 5_000, timeout: 30_000 });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role}: no snapshot in 30 s`)), 30_000);
    socket.once("snapshot", (snap) => { clearTimeout(timer); resolve(snap); });
    // A refused connection the client will try again by itself (a full server's 503) is not a failure.
    socket.on("connect_error", (err) => { if (!socket.active) { clearTimeout(timer); reject(err); } });
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
  // A full server answers 503 (and an address over its allowance 429) with Retry-After: as a phone
  // does (static/js/participant.js), wait that long and ask again, a bounded number of times.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { method: "POST", body: JSON.stringify(body),
                                   headers: { "Content-Type": "application/json" } });
    if (res.status === 201) return res.json();
    if (![429, 503].includes(res.status) || attempt >= 8) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
    refusedPosts[res.status] = (refusedPosts[res.status] ?? 0) + 1;
    await res.arrayBuffer();
    await sleep((Number(res.headers.get("retry-after")) || 1) * 1000 * (1 + Math.random()));
  }
}
const refusedPosts = {};

const errors = {};
const countError = (ack) => { const c = ack?.error?.code ?? "no_ack"; errors[c] = (errors[c] ?? 0) + 1; };

// --- the phones this process holds ---------------------------------------------------------
// Every step below runs on this process's share of the phones (index % generators == share); the
// main process runs it on its own share and asks the other generators to run it on theirs.
const phones = new Map();  // index -> { socket, perspective, id }
let phoneEvents = 0;
const mine = (n) => [...Array(n).keys()].filter((i) => i % generators === share);
const ballotOf = (i, themeIds) => ({ [themeIds[i % themeIds.length]]: 2, [themeIds[(i + 1) % themeIds.length]]: 2,
                                     [themeIds[(i + 2) % themeIds.length]]: 1 });

const steps = {
  /** Join and connect the phones, `ramp` at a time across all generators: one phone's join is its
   *  POST plus its socket's connect and first snapshot. */
  async join({ code }) {
    const joinMs = [];
    const indexes = mine(cfg.participants);
    const ramp = Math.max(1, Math.round(cfg.ramp / generators));
    for (let first = 0; first < indexes.length; first += ramp) {
      await Promise.all(indexes.slice(first, first + ramp).map(async (i) => {
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
        phones.set(i, { socket: phone.socket, perspective, id: joined.participant.id });
      }));
    }
    return { joinMs };
  },
  /** Every phone sends `items` items at random moments within `window_s`, without waiting for its
   *  earlier acks (a phone's outbox sends as soon as someone hits Send). */
  async submit({ start }) {
    const submitAckMs = [], acked = [], sentAt = [];
    let lastAck = start;
    const sends = [];
    for (const phone of phones.values()) {
      for (let k = 0; k < cfg.items; k++) {
        const delay = Math.max(0, start + Math.random() * cfg.window_s * 1000 - now());
        sends.push(sleep(delay).then(async () => {
          const item = { client_id: randomUUID().replaceAll("-", ""), lane: k % 2 ? "success_factor" : "challenge",
                         text: `Item ${k + 1} from a ${phone.perspective}: clearer requirements on delivery times` };
          const t0 = now();
          sentAt.push([item.client_id, t0]);
          const ack = await send(phone.socket, "item.submit", item);
          if (ack?.ok) {
            submitAckMs.push(now() - t0);
            acked.push([item.client_id, item]);
            lastAck = now();
          } else countError(ack);
        }));
      }
    }
    await Promise.all(sends);
    return { submitAckMs, acked, sentAt, lastAck };
  },
  /** Every phone sends its whole ballot at once. */
  async vote({ themeIds, ballotClientId }) {
    const ballotAckMs = [], ballotsAcked = [];
    let lastAck = now();
    await Promise.all([...phones].map(async ([i, phone]) => {
      const allocation = ballotOf(i, themeIds);
      const payload = ballotClientId ? { client_id: randomUUID().replaceAll("-", ""), allocation } : { allocation };
      const t0 = now();
      const ack = await send(phone.socket, "ballot.set", payload);
      if (ack?.ok) { ballotAckMs.push(now() - t0); ballotsAcked.push([i, allocation]); lastAck = now(); }
      else countError(ack);
    }));
    return { ballotAckMs, ballotsAcked, lastAck };
  },
  /** Each phone's own stored ballot (from its `sync`) must be the one it sent. */
  async verify({ ballots }) {
    let ballotMismatches = 0;
    for (let first = 0; first < ballots.length; first += 20) {
      await Promise.all(ballots.slice(first, first + 20).map(async ([i, sent]) => {
        const reply = await send(phones.get(i).socket, "sync", { version: 0 });
        const stored = reply?.snapshot?.me?.ballot ?? {};
        if (!Object.keys({ ...sent, ...stored }).every((k) => (sent[k] ?? 0) === (stored[k] ?? 0))) ballotMismatches++;
      }));
    }
    return { ballotMismatches };
  },
  /** What this process counted: merged into the result by the main process. */
  async counts() {
    return { errors, resends, dropReasons, disconnects, phoneEvents, refusedPosts,
             loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
  },
  /** The worst event-loop delay of this process since the last mark: a stalled generator shows here. */
  async stall() {
    const worst = phaseLoop.max / 1e6;
    phaseLoop.reset();
    return { worst, disconnects };
  },
  async close() {
    for (const phone of phones.values()) { phone.socket.off("disconnect"); phone.socket.disconnect(); }
    return {};
  },
};

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const phaseLoop = monitorEventLoopDelay({ resolution: 10 });
phaseLoop.enable();

if (share) {  // a phone-holding generator: run each step the main process asks for, answer with its result
  process.on("message", async ({ id, step, args }) => {
    try {
      process.send({ id, result: await steps[step](args) });
    } catch (err) {
      process.send({ id, error: String(err?.stack ?? err) });
    }
    if (step === "close") process.exit(0);
  });
} else {
  await main();
  process.exit(0);
}

/** A mark with every generator's worst event-loop delay since the previous one (ms) and its dropped
 *  connections so far, per process: tells a stalled generator from a stalled server. */
async function markAll(name) {
  const each = await everywhere("stall");
  mark(name, { generator_loop_max_ms: each.map((g) => Math.round(g.worst)),
               generator_disconnects: each.map((g) => g.disconnects) });  // connections dropped so far, per process
}

/** Run ``step`` on every generator's phones (this process's own share included); their results. */
function everywhere(step, args = {}) {
  return Promise.all([steps[step](args), ...workers.map((w) => w.run(step, args))]);
}

function startWorkers() {
  for (let k = 1; k < generators; k++) {
    const child = fork(process.argv[1], [process.argv[2], out, "--phones", String(k)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const pending = new Map();
    let next = 0;
    child.on("message", ({ id, result, error }) => {
      const { resolve, reject } = pending.get(id);
      pending.delete(id);
      if (error) reject(new Error(`generator ${k}: ${error}`)); else resolve(result);
    });
    child.on("exit", (code) => { for (const { reject } of pending.values()) reject(new Error(`generator ${k} exited (${code})`)); });
    workers.push({ child, run: (step, args) => new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      child.send({ id, step, args });
    }) });
  }
}

// --- the scenario (main process) ----------------------------------------------------------------
async function main() {
startWorkers();
const result = { mode: cfg.mode, participants: cfg.participants, servers: cfg.urls.length, generators };

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
const projectorArrived = new Map();         // client_id -> when its item.added first arrived
const projectorCounts = new Map();          // client_id -> how many item.added arrived
function projectorGot(change) {
  if (change.type !== "item.added") return;
  const id = change.data.item.client_id;
  projectorCounts.set(id, (projectorCounts.get(id) ?? 0) + 1);
  if (!projectorArrived.has(id)) projectorArrived.set(id, now());
}
projector.socket.on("change", projectorGot);
// The app sends the changes one batch committed together as one message.
projector.socket.on("changes", (batch) => batch.changes.forEach(projectorGot));
await sleep(500);
await markAll("before_join");

const joinStart = now();
const joined = await everywhere("join", { code });
const joinMs = joined.flatMap((r) => r.joinMs);
const joinSeconds = (now() - joinStart) / 1000;
Object.assign(result, { join_seconds: joinSeconds, joins_per_s: cfg.participants / joinSeconds, join_ms: joinMs });
log(`joined ${cfg.participants} in ${joinSeconds.toFixed(1)} s`);
await sleep(1000);
await markAll("connected");

// The submit burst, on every generator from the same moment.
const submitStart = now() + 200;
const submitted = await everywhere("submit", { start: submitStart });
const submitAckMs = submitted.flatMap((r) => r.submitAckMs);
const acked = new Map(submitted.flatMap((r) => r.acked));        // client_id -> lane/text as acknowledged
const sentAt = new Map(submitted.flatMap((r) => r.sentAt));      // client_id -> when it was sent
const lastSubmitAck = Math.max(submitStart, ...submitted.map((r) => r.lastAck));
await waitUntil(() => [...acked.keys()].every((id) => projectorArrived.has(id)), 30_000);
const submitSeconds = (lastSubmitAck - submitStart) / 1000;
Object.assign(result, { submit_ack_ms: submitAckMs, submits_acked: acked.size, submit_seconds: submitSeconds,
                        projector_ms: [...acked.keys()].filter((id) => projectorArrived.has(id))
                                                      .map((id) => projectorArrived.get(id) - sentAt.get(id)),
                        projector_missing: [...acked.keys()].filter((id) => !projectorArrived.has(id)).length,
                        projector_duplicates: [...projectorCounts.values()].filter((n) => n > 1).length });
log(`submitted ${acked.size} items in ${submitSeconds.toFixed(1)} s`);
await markAll("submitted");

// Themes and the move to voting, from the console (the bare server has neither).
let themeIds = ["1", "2", "3", "4", "5"];
if (app) {
  const consoleSteps = [["phase.set", { phase: "aggregate" }]];
  for (let t = 1; t <= cfg.themes; t++) consoleSteps.push(["theme.create", { name: `Theme ${t}` }]);
  themeIds = [];
  for (const [event, payload] of consoleSteps) {
    const ack = await send(consoleSock.socket, event, payload);
    if (!ack?.ok && ack?.error?.code !== "phase_unchanged") throw new Error(`${event}: ${JSON.stringify(ack)}`);
    if (ack.theme) themeIds.push(String(ack.theme.id));
  }
  const ack = await send(consoleSock.socket, "phase.set", { phase: "prioritise" });
  if (!ack?.ok && ack?.error?.code !== "phase_unchanged") throw new Error(`phase.set prioritise: ${JSON.stringify(ack)}`);
}

// Does the server take a client_id on ballot.set yet? Ask once, before the burst (phone 0 is ours).
let ballotClientId = true;
const probe = await send(phones.get(0).socket, "ballot.set", { client_id: randomUUID().replaceAll("-", ""), allocation: ballotOf(0, themeIds) });
if (!probe?.ok && probe?.error?.code === "invalid" && JSON.stringify(probe.error).includes("client_id")) ballotClientId = false;
else if (!probe?.ok) countError(probe);
result.ballot_client_id = ballotClientId;
await sleep(1000);
await markAll("before_vote");

// The vote burst: every phone sends its whole ballot at once.
const voteStart = now();
const voted = await everywhere("vote", { themeIds, ballotClientId });
const ballotAckMs = voted.flatMap((r) => r.ballotAckMs);
const ballotsAcked = new Map(voted.flatMap((r) => r.ballotsAcked));  // participant index -> allocation
const lastBallotAck = Math.max(voteStart, ...voted.filter((r) => r.ballotAckMs.length).map((r) => r.lastAck));
const voteSeconds = (lastBallotAck - voteStart) / 1000;
const dots = [...ballotsAcked.values()].reduce((s, a) => s + Object.values(a).reduce((x, y) => x + y, 0), 0);
Object.assign(result, { ballot_ack_ms: ballotAckMs, ballots_acked: ballotsAcked.size, dots_acked: dots,
                        vote_seconds: voteSeconds, votes_per_s: voteSeconds > 0 ? dots / voteSeconds : 0 });
log(`voted ${ballotsAcked.size} ballots (${dots} dots) in ${voteSeconds.toFixed(2)} s`);
await markAll("voted");

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
  for (let i = 0; i < cfg.participants; i++) {
    const into = ballotsAcked.has(i) ? acknowledged : unknown;
    for (const [theme, n] of Object.entries(ballotOf(i, themeIds))) {
      const key = `${theme}/${PERSPECTIVES[i % PERSPECTIVES.length]}`;
      into[key] = (into[key] ?? 0) + n;
    }
  }
  const tallied = {};
  for (const entry of snap.results?.entries ?? [])
    for (const [perspective, n] of Object.entries(entry.by_perspective ?? {})) if (n) tallied[`${entry.theme_id}/${perspective}`] = n;
  const keys = Object.keys({ ...acknowledged, ...unknown, ...tallied });
  const tallyShort = keys.filter((k) => (tallied[k] ?? 0) < (acknowledged[k] ?? 0)).length;
  const tallyOver = keys.filter((k) => (tallied[k] ?? 0) > (acknowledged[k] ?? 0) + (unknown[k] ?? 0)).length;
  // ...and each phone's own stored ballot (from its `sync`) must be the one it sent.
  const byShare = [...Array(generators)].map(() => []);
  for (const [i, allocation] of ballotsAcked) byShare[i % generators].push([i, allocation]);
  const verified = await Promise.all([steps.verify({ ballots: byShare[0] }),
                                      ...workers.map((w, k) => w.run("verify", { ballots: byShare[k + 1] }))]);
  const ballotMismatches = verified.reduce((s, r) => s + r.ballotMismatches, 0);
  Object.assign(result, { lost: lost + ballotMismatches + tallyShort, duplicated: duplicated + tallyOver,
                          items_lost: lost, unacked_stored: unackedStored, ballot_mismatches: ballotMismatches, tally_short: tallyShort,
                          tally_over: tallyOver, turnout: snap.turnout, stored_items: snap.items.length });
} else {
  Object.assign(result, { lost: 0, duplicated: 0 });
}
await markAll("verified");

// What every generator counted, summed (the event loop's delay: the worst generator's).
const counted = await everywhere("counts");
const sum = (into, from) => { for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v; return into; };
Object.assign(result, { samples, errors: counted.reduce((a, c) => sum(a, c.errors), {}),
                        resends: counted.reduce((a, c) => sum(a, c.resends), {}),
                        drop_reasons: counted.reduce((a, c) => sum(a, c.dropReasons), {}),
                        refused_posts: counted.reduce((a, c) => sum(a, c.refusedPosts), {}),
                        phone_change_events: counted.reduce((s, c) => s + c.phoneEvents, 0),
                        disconnects: counted.reduce((s, c) => s + c.disconnects, 0),
                        client_loop_delay_p99_ms: Math.max(...counted.map((c) => c.loopP99)),
                        client_loop_delay_max_ms: Math.max(...counted.map((c) => c.loopMax)) });
writeFileSync(out, JSON.stringify(result));
await Promise.all(workers.map((w) => w.run("close").catch(() => {})));
await steps.close();
for (const screen of [projector, consoleSock]) { screen.socket.off("disconnect"); screen.socket.disconnect(); }
log("done");
}
