// The participant's unsent items, kept in localStorage so nothing typed is lost to bad Wi-Fi,
// a closed tab or a reload. Each entry has a client_id the server uses to accept it only once.

/** Keep a value in localStorage, or drop the key when there is nothing to keep. */
function persist(key, value, empty) {
  try {
    if (empty) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
  } catch { /* storage full or disabled: the in-memory copy still works */ }
}

export const PENDING = "pending"; // waiting for a connection
export const SENDING = "sending";
export const FAILED = "failed";

export class Outbox {
  constructor(code) {
    this.key = `workshop.outbox.${code}`;
    this.entries = this.load();
    // A reload during a send leaves "sending" entries: they are simply pending again.
    for (const entry of this.entries) if (entry.state === SENDING) entry.state = PENDING;
    this.save();
  }

  load() {
    try {
      const raw = JSON.parse(window.localStorage.getItem(this.key) || "[]");
      return Array.isArray(raw) ? raw.filter((e) => e && e.client_id && typeof e.text === "string") : [];
    } catch {
      return [];
    }
  }

  save() {
    persist(this.key, this.entries, !this.entries.length);
  }

  add(entry) {
    this.entries.push({ state: PENDING, error: "", retry: true, created: Date.now(), ...entry });
    this.save();
    return entry.client_id;
  }

  get(clientId) {
    return this.entries.find((entry) => entry.client_id === clientId);
  }

  update(clientId, changes) {
    const entry = this.get(clientId);
    if (!entry) return;
    Object.assign(entry, changes);
    this.save();
  }

  remove(clientId) {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.client_id !== clientId);
    if (this.entries.length !== before) this.save();
  }

  /** Drop entries the server already has (its snapshot lists them by client_id). */
  reconcile(savedClientIds) {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => !savedClientIds.has(entry.client_id));
    if (this.entries.length !== before) this.save();
  }

  /** Entries to send after (re)connecting: pending ones and those that failed on a timeout. */
  due() {
    return this.entries.filter((entry) => entry.state === PENDING || (entry.state === FAILED && entry.retry));
  }
}

/**
 * The participant's latest ballot and advice while they are not yet acknowledged, kept in
 * localStorage like the items. Only the latest of each kind matters (a ballot is always sent
 * whole), and it keeps its client id across reloads so a resend is recognised by the server.
 */
export class Commands {
  constructor(code) {
    this.key = `workshop.commands.${code}`;
    try {
      const raw = JSON.parse(window.localStorage.getItem(this.key) || "{}");
      this.entries = raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {};
    } catch {
      this.entries = {};
    }
  }

  save() {
    persist(this.key, this.entries, !Object.keys(this.entries).length);
  }

  /** Record a new command of this kind, replacing an older unsent one. */
  set(kind, event, payload, clientId) {
    const entry = { event, payload: { ...payload, client_id: clientId }, created: Date.now() };
    this.entries[kind] = entry;
    this.save();
    return entry;
  }

  get(kind) {
    const entry = this.entries[kind];
    return entry && entry.payload && entry.payload.client_id ? entry : null;
  }

  /** Forget a command once answered, unless a newer one has replaced it meanwhile. */
  done(kind, clientId) {
    const entry = this.get(kind);
    if (entry && entry.payload.client_id === clientId) {
      delete this.entries[kind];
      this.save();
    }
  }
}

/** The participant's stored identity for one workshop: {token, id}. */
export const identity = {
  key: (code) => `workshop.participant.${code}`,
  get(code) {
    try {
      const value = JSON.parse(window.localStorage.getItem(this.key(code)) || "null");
      return value && value.token ? value : null;
    } catch {
      return null;
    }
  },
  set(code, value) {
    try {
      window.localStorage.setItem(this.key(code), JSON.stringify(value));
    } catch { /* private mode: this tab still works */ }
  },
  clear(code) {
    try {
      window.localStorage.removeItem(this.key(code));
    } catch { /* ignore */ }
  },
};
