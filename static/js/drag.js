// Dragging an item onto a theme on the console's grouping board, for a pointer (mouse, pen or
// touch); the keyboard and the selects do the same without it (console-aggregate.js).

/** Pointer-event dragging of an item's handle onto a theme card (mouse, pen and touch alike). */
export function enableDrag(board, drop) {
  let dragging = null;
  board.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest && event.target.closest("[data-drag]");
    if (!handle) return;
    event.preventDefault();
    dragging = { id: Number(handle.dataset.drag), card: handle.closest(".agg-item") };
    dragging.card.classList.add("agg-dragging");
    handle.setPointerCapture(event.pointerId);
  });
  board.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    for (const card of board.querySelectorAll(".agg-drop")) card.classList.remove("agg-drop");
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const target = under && under.closest(".agg-theme");
    if (target) target.classList.add("agg-drop");
  });
  const end = (event) => {
    if (!dragging) return;
    const { id, card } = dragging;
    dragging = null;
    card.classList.remove("agg-dragging");
    for (const over of board.querySelectorAll(".agg-drop")) over.classList.remove("agg-drop");
    if (event.type !== "pointerup") return;
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const target = under && under.closest(".agg-theme");
    if (target) drop(id, target.dataset.theme ? Number(target.dataset.theme) : null);
  };
  board.addEventListener("pointerup", end);
  board.addEventListener("pointercancel", end);
}
