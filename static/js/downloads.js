// Guide downloads that take a while. A long workshop's PDF takes many seconds to lay out, and a
// plain download link shows nothing until the file starts to arrive: the facilitator clicks
// again, and the server lays it out twice. So the link says the file is being prepared, a second
// click waits for the first, and a failure says so in the user's language.
import { t } from "./i18n.js";

function filenameOf(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const match = /filename="?([^";]+)"?/i.exec(header);
  return match ? match[1] : fallback;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Take over the clicks on every `a[download][data-format]` inside `root`. */
export function guideDownloads(root, announce) {
  root.addEventListener("click", async (event) => {
    const link = event.target.closest("a[download][data-format]");
    if (!link || !root.contains(link) || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;  // already on its way
    const format = link.dataset.format;
    const status = document.createElement("span");
    status.className = "download-status";
    status.textContent = ` ${t("download.preparing_short")}`;
    link.setAttribute("aria-busy", "true");
    link.append(status);
    announce(t("download.preparing", { format }));
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      save(await response.blob(), filenameOf(response, link.pathname.split("/").pop()));
      announce(t("download.ready", { format }));
    } catch {
      announce(t("download.failed", { format }));
      status.textContent = ` ${t("download.failed_short")}`;
      window.setTimeout(() => status.remove(), 8000);
      return;
    } finally {
      link.removeAttribute("aria-busy");
    }
    status.remove();
  });
}
