// The console's latest grouping suggestions, shared by the suggestions panel and the board's
// item cards. The server pushes a fresh body as the "suggestions" event after every change that
// can alter it; the newest body replaces the last. A suggestion about an item the console already
// shows as grouped is dropped at once, before the next refresh arrives.

let current = null;
const listeners = new Set();

export function setSuggestions(body) {
  current = body || null;
  for (const listener of listeners) listener(current);
}

export function suggestions() {
  return current;
}

export function onSuggestions(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The likely themes of an ungrouped item, best first, among the themes the console shows. */
export function placementsFor(state, item) {
  if (!current || !current.placements || item.theme_id) return [];
  const shown = new Set(state.themes.map((theme) => theme.id));
  return (current.placements[String(item.id)] || []).filter((id) => shown.has(id)).slice(0, 3);
}
