// The projector never scrolls and never cuts text: a list longer than the screen is shown a
// page at a time (whole rows of cards, whole theme cards), the pages turning by themselves at a
// pace a room can read or on the facilitator's keys (a presenter remote sends Page Down / Up),
// and a theme card longer than its share of the page shows the items that fit whole and says
// how many more there are. Under 48rem the projector page scrolls like any page, and shows all.

import { h } from "./dom.js";
import { t, formatNumber } from "./i18n.js";

const MIN_DWELL = 9000; // ms a page stays at least: long enough to find one's own item
const MAX_DWELL = 30000;
const WORDS_PER_SECOND = 2.5; // reading aloud pace, slower than silent reading

/**
 * A pager over one stage. `lay(viewKey)` after every render: it finds the list marked
 * `data-paged` ("flow": cards in columns; "newest": the same, its first page only, saying how
 * many of how many show; "rows": result rows; "cards": theme cards in a grid) and shows one
 * page of it. A new view (another phase, another spotlight) starts at its first page.
 */
export function makePager(stage) {
  let key = "";
  let page = 0;
  let pages = [];
  let list = null;
  let turn = 0;
  let turnAt = 0;

  function bounded() {
    const style = getComputedStyle(stage);
    return style.overflowY === "hidden" || style.overflowY === "clip";
  }

  function lay(viewKey) {
    list = stage.querySelector("[data-paged]");
    if (viewKey !== key) {
      key = viewKey;
      page = 0;
      windows = [];
      stop();
    }
    if (!list) {
      pages = [];
      stop();
      return;
    }
    const footer = h("p", { class: "proj-pager" });
    list.after(footer);
    if (!bounded()) {
      pages = [[0, list.children.length - 1]];
      page = 0;
      footer.remove();
      if (list.dataset.paged === "cards") for (const card of list.children) fitCard(card, 0, false);
      stop();
      return;
    }
    footer.textContent = "\u00a0";
    const kind = list.dataset.paged;
    pages = kind === "cards" ? cardPages(list) : kind === "rows" ? rowPages(list) : flowPages(list, kind === "newest");
    if (kind === "newest") page = 0;
    page = Math.min(page, pages.length - 1);
    show(footer);
  }

  /** Theme cards whose items do not all fit show them a window at a time: which item each starts at. */
  let windows = [];

  function show(footer = stage.querySelector(".proj-pager")) {
    if (!list || !pages.length) return;
    const [start, end] = pages[page];
    [...list.children].forEach((child, i) => { child.hidden = i < start || i > end; });
    let more = false;
    if (list.dataset.paged === "cards") {
      // Rows as tall as the page's cards with all their items, then held there: a card that
      // drops items must not shrink its row under a card already fitted.
      list.style.gridTemplateRows = "";
      for (let i = start; i <= end; i += 1) fitCard(list.children[i], windows[i] || 0, false);
      list.style.gridTemplateRows = getComputedStyle(list).gridTemplateRows;
      for (let i = start; i <= end; i += 1) more = fitCard(list.children[i], windows[i] || 0, true) || more;
    }
    const total = Number(list.dataset.total || list.children.length);
    if (!footer) return;
    if (list.dataset.paged === "newest") {
      stop();
      if (end + 1 < total) footer.textContent = t("projector.newest", { shown: formatNumber(end - start + 1), total: formatNumber(total) });
      else footer.remove();
      return;
    }
    if (pages.length < 2 && !more && !windows.some(Boolean)) {
      footer.remove();
      stop();
      return;
    }
    if (pages.length < 2) footer.textContent = "\u00a0";
    else {
      footer.replaceChildren(
        h("span", { class: "proj-pager-text", text: t("projector.page", { n: formatNumber(page + 1), total: formatNumber(pages.length) }) }));
      if (pages.length <= 12) {
        footer.append(h("span", { class: "proj-pager-dots", "aria-hidden": "true" },
          pages.map((_, i) => h("span", { class: `proj-pager-dot${i === page ? " proj-pager-dot-on" : ""}` }))));
      }
    }
    footer.dataset.at = `${page}:${windows.join(",")}`; // where the pages stand, for tests
    schedule(dwell(list));
  }

  /** Turn to the next page when this one has been up long enough; a re-render keeps the clock. */
  function schedule(ms) {
    const due = Date.now() + ms;
    if (turn && turnAt <= due) return;
    stop();
    turnAt = due;
    turn = window.setTimeout(() => {
      turn = 0;
      go(+1, true);
    }, ms);
  }

  function stop() {
    if (turn) window.clearTimeout(turn);
    turn = 0;
  }

  /** Forward: first the next items of the cards that have more, then the next page. */
  function advanceWindows() {
    if (!list || list.dataset.paged !== "cards" || !pages.length) return false;
    const [start, end] = pages[page];
    let moved = false;
    for (let i = start; i <= end; i += 1) {
      const next = Number(list.children[i].dataset.next || 0);
      if (next) {
        windows[i] = next;
        moved = true;
      }
    }
    return moved;
  }

  function go(delta, wrap = false) {
    if (!list || list.dataset.paged === "newest") return false;
    if (delta > 0 && advanceWindows()) {
      stop();
      show();
      return true;
    }
    if (pages.length < 2 && !windows.some(Boolean)) return false;
    const next = wrap ? (page + delta + pages.length) % pages.length : page + delta;
    if (next < 0 || next >= pages.length) return false;
    page = next;
    windows = [];
    stop();
    show();
    return true;
  }

  return { lay, next: () => go(+1, true), previous: () => go(-1, true), get page() { return page; }, get pages() { return pages.length; } };
}

/** How long a page stays up: by the words shown on it, at a pace read aloud, within bounds. */
function dwell(list) {
  const words = (list.innerText.match(/\S+/g) || []).length;
  return Math.max(MIN_DWELL, Math.min(MAX_DWELL, (words / WORDS_PER_SECOND) * 1000));
}

/**
 * Pages of a list laid out in columns (CSS multi-column, filled one column after the other):
 * a page is what fits in the columns across the screen, each card whole. Cards of any height
 * pack without gaps, so the room sees as much as fits.
 */
function flowPages(list, firstOnly) {
  const children = [...list.children];
  const width = list.clientWidth;
  const height = list.clientHeight;
  // A height of its own, so the columns fill one after the other instead of balancing.
  list.style.height = `${height}px`;
  const origin = list.getBoundingClientRect();
  const pages = [];
  let start = 0;
  while (start < children.length && pages.length < 200) {
    children.forEach((child, i) => { child.hidden = i < start; });
    let end = start;
    for (let i = start + 1; i < children.length; i += 1) {
      // Where the card is drawn (offsets would give its place in the unbroken flow).
      const box = children[i].getBoundingClientRect();
      if (box.right - origin.left > width + 1 || box.bottom - origin.top > height + 1) break;
      end = i;
    }
    pages.push([start, end]);
    if (firstOnly) break;
    start = end + 1;
  }
  if (firstOnly && pages.length && pages[0][1] < children.length - 1) pages.push([pages[0][1] + 1, children.length - 1]);
  return pages.length ? pages : [[0, -1]];
}

/** Pages of whole rows: a row is every child starting at the same height (a grid row). */
function rowPages(list) {
  const children = [...list.children];
  children.forEach((child) => { child.hidden = false; });
  const available = list.clientHeight;
  const rows = [];
  // Offsets, not client rects: an arriving card's slide-in transform must not move its row.
  children.forEach((child, i) => {
    const box = { top: child.offsetTop, bottom: child.offsetTop + child.offsetHeight };
    const last = rows[rows.length - 1];
    if (last && Math.abs(box.top - last.top) < 2) {
      last.bottom = Math.max(last.bottom, box.bottom);
      last.end = i;
    } else {
      rows.push({ top: box.top, bottom: box.bottom, start: i, end: i });
    }
  });
  const pages = [];
  let current = null;
  for (const row of rows) {
    if (!current || row.bottom - current.top > available) {
      current = { top: row.top, start: row.start, end: row.end };
      pages.push(current);
    } else {
      current.end = row.end;
    }
  }
  return pages.length ? pages.map((p) => [p.start, p.end]) : [[0, -1]];
}

/**
 * Theme cards in pages of a grid: as many columns as cards of 17em fit across (at most four),
 * and as many rows as leave each card room for its name and a few items (at most three).
 */
function cardPages(list) {
  const count = list.children.length;
  const em = parseFloat(getComputedStyle(list).fontSize) || 16;
  const columns = Math.max(1, Math.min(4, count, Math.floor((list.clientWidth + em) / (17 * em))));
  const fit = Math.max(1, Math.min(3, Math.floor(list.clientHeight / (Number(list.dataset.cardEm || 14) * em))));
  const rows = Math.max(1, Math.min(fit, Math.ceil(count / columns)));
  list.style.setProperty("--columns", String(columns));
  list.style.setProperty("--rows", String(rows));
  const per = columns * rows;
  const pages = [];
  for (let start = 0; start < count; start += per) pages.push([start, Math.min(count, start + per) - 1]);
  return pages.length ? pages : [[0, -1]];
}

/**
 * A card shows, from item `from` on, the items that fit whole; the "and N more" line counts the
 * rest, and `data-next` says where the next window starts (none once the last item showed; the
 * window after the last starts again at the first). With `bounded` false (a page that scrolls)
 * every item shows. Returns whether the card has items it did not show.
 */
function fitCard(card, from, bounded) {
  const items = [...card.querySelectorAll(".proj-theme-items > li")];
  const more = card.querySelector(".proj-more");
  const start = from < items.length ? from : 0;
  items.forEach((item, i) => { item.hidden = i < start; });
  if (more) more.hidden = true;
  delete card.dataset.next;
  if (!bounded || !more) return false;
  const over = () => card.scrollHeight > card.clientHeight + 1;
  let last = items.length - 1;
  if (over()) {
    more.hidden = false;
    for (; last >= start && over(); last -= 1) {
      items[last].hidden = true;
      more.textContent = t("projector.more", { n: formatNumber(items.length - last) });
    }
  }
  const after = items.length - 1 - last;
  if (after > 0) {
    more.hidden = false;
    more.textContent = t("projector.more", { n: formatNumber(after) });
    if (last >= start) card.dataset.next = String(last + 1);
  }
  return after > 0 || start > 0;
}

/**
 * The question as large as it can be while it stays whole: a step smaller for each size at which
 * it would need more lines than that size allows. Once the room works on what it wrote
 * (`compact`), the question steps back and leaves the screen to the work.
 */
export function fitQuestion(el, compact = false) {
  const sizes = compact ? [["1.3em", 2], ["1.1em", 3], ["1em", 4]]
    : [["2.1em", 2], ["1.7em", 3], ["1.4em", 3], ["1.15em", 4]];
  for (const [size, lines] of sizes) {
    el.style.fontSize = size;
    el.style.setProperty("--lines", String(lines));
    if (el.scrollHeight <= el.clientHeight + 1) return;
  }
}
