// The console's joining switch: open or close the workshop to new participants (those who joined
// keep working), and how many joins it refused (closed, full, or too many too fast), live.

import { $ } from "./dom.js";
import { formatNumber } from "./i18n.js";
import { applyJoining } from "./live-state.js";

/** Wire the switch and the count console.html renders; returns {update(state)}. */
export function joiningControl(ctx, getState) {
  const box = $("#joining-open");
  const statuses = document.querySelectorAll("[data-joining]");
  const count = $("#joins-refused");
  let sending = false;

  box.addEventListener("change", async () => {
    if (sending) return;
    sending = true;
    const ack = await ctx.act("joining.set", { open: box.checked });
    sending = false;
    if (ack && ack.ok) {
      applyJoining(getState(), ack);
      update(getState());
      const shown = [...statuses].find((el) => !el.hidden);
      if (shown) ctx.announce(shown.textContent.trim());
    } else {
      update(getState()); // refused: show what the server holds, not what was clicked
    }
  });

  function update(state) {
    const joining = state && state.joining;
    if (!joining) return;
    box.disabled = false; // disabled until the server's state is known: a click before would be lost
    if (!sending) box.checked = Boolean(joining.open);
    for (const el of statuses) el.hidden = el.dataset.joining !== (joining.open ? "open" : "closed");
    count.textContent = formatNumber(joining.refused || 0);
  }

  return { update };
}
