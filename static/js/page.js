// Small enhancements for the server-rendered pages (home, join, errors). Everything works
// without it; it only adds character counters and moves focus to the first error.

import { counter } from "./dom.js";

for (const field of document.querySelectorAll("[data-counter]")) {
  const output = document.getElementById(field.dataset.counter);
  if (output) counter(field, output);
}

const firstInvalid = document.querySelector("[aria-invalid='true']");
if (firstInvalid) firstInvalid.focus();

const code = document.querySelector("input[data-uppercase]");
if (code) {
  code.addEventListener("input", () => {
    const { selectionStart, selectionEnd } = code;
    code.value = code.value.toUpperCase();
    try {
      code.setSelectionRange(selectionStart, selectionEnd);
    } catch { /* not supported */ }
  });
}
