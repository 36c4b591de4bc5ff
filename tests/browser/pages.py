"""Page-object helpers for the workshop's three screens, written against labels, roles and text."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

LIVE = 15_000  # ms: how long a live update may take to reach another screen


# --- Phone -------------------------------------------------------------------------------
def join(phone: Page, perspective: str, name: str | None = None) -> None:
    phone.get_by_label(perspective, exact=True).check()
    if name:
        phone.get_by_label("Your name (optional)").fill(name)
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone.get_by_role("heading", name="Write an item")).to_be_visible(timeout=LIVE)


def resume_as(phone: Page, code: str, person: dict) -> None:
    """The phone of someone who joined over the API: their token where the page keeps it, then a
    reload, as a phone coming back to the workshop would."""
    phone.evaluate("([key, value]) => localStorage.setItem(key, value)",
                   [f"workshop.participant.{code}",
                    '{"token": "%s", "id": %d}' % (person["token"], person["participant"]["id"])])
    phone.reload()


def write_item(phone: Page, lane: str, text: str) -> None:
    phone.get_by_label(lane, exact=True).check()
    phone.get_by_label("Your text").fill(text)
    phone.get_by_role("button", name="Send", exact=True).click()


def my_item(phone: Page, text: str):
    return phone.locator(".my-items li", has_text=text)


def expect_saved(phone: Page, text: str, timeout: int = LIVE) -> None:
    expect(my_item(phone, text)).to_have_count(1, timeout=timeout)
    expect(my_item(phone, text).locator(".badge")).to_have_text("✓ Saved", timeout=timeout)


def vote(phone: Page, dots: dict[str, int]) -> None:
    for theme, n in dots.items():
        for _ in range(n):
            phone.get_by_role("button", name=f"Add a dot to “{theme}”").click()
    phone.get_by_role("button", name="Save my votes").click()
    expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=LIVE)


def give_advice(phone: Page, text: str) -> None:
    phone.get_by_label("Your advice to people doing needs assessment").fill(text)
    phone.get_by_role("button", name="Save advice").click()
    expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=LIVE)


def fits_width(page: Page) -> bool:
    """Nothing sticks out sideways: the page never needs a horizontal scroll (WCAG 1.4.10 reflow)."""
    # Against the device's width: a mobile browser widens its layout viewport to fit what overflows.
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def small_targets(page: Page) -> list[str]:
    """Controls on the page that a thumb cannot comfortably hit: under 44x44 CSS pixels (WCAG 2.5.5).

    Every rendered link, button, form field, summary and focusable widget counts, the header's
    too; a radio button or checkbox counts with its label, which is what a finger hits; a link
    inside a sentence is excepted, as WCAG 2.5.5 allows."""
    return page.evaluate("""() => {
        const targets = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, " +
            "textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])");
        const inSentence = (el) => {
            if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
            const block = el.parentElement.closest("p, li, dd, td, figcaption");
            return Boolean(block) && block.textContent.trim().length > el.textContent.trim().length + 1;
        };
        const box = (el) => {
            let r = el.getBoundingClientRect();
            let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
            if (el.matches("input[type=radio], input[type=checkbox]")) {
                const label = el.closest("label") || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
                if (label) {
                    const l = label.getBoundingClientRect();
                    [left, top, right, bottom] = [Math.min(left, l.left), Math.min(top, l.top),
                                                  Math.max(right, l.right), Math.max(bottom, l.bottom)];
                }
            }
            return { width: right - left, height: bottom - top };
        };
        return [...targets]
            .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
            .filter((el) => !el.closest(".visually-hidden") && !inSentence(el))
            .filter((el) => { const b = box(el); return b.width < 43.5 || b.height < 43.5; })
            .map((el) => { const b = box(el); return `${Math.round(b.width)}x${Math.round(b.height)} ` +
                el.outerHTML.slice(0, 90); });
    }""")


def expect_announced(page: Page, pattern: str, timeout: int = LIVE) -> None:
    """A screen reader hears `pattern` through the page's polite live region."""
    expect(page.locator("#announcer")).to_have_text(re.compile(pattern), timeout=timeout)


# --- Console -----------------------------------------------------------------------------
def next_phase(console: Page, title: str) -> None:
    console.get_by_role("button", name="Next", exact=True).click()
    expect(console.locator("#phase-list [aria-current=step]")).to_contain_text(title, timeout=LIVE)


def create_theme(console: Page, name: str) -> None:
    console.get_by_label("New theme").fill(name)
    console.get_by_role("button", name="Create theme").click()
    expect(theme_card(console, name)).to_be_visible(timeout=LIVE)


def theme_card(console: Page, name: str):
    return console.get_by_role("region", name=name, exact=True)


def move_to_theme(console: Page, item_text: str, theme: str) -> None:
    """The keyboard-friendly way: the item's own "Theme" select."""
    # Its accessible name starts with its visible label and names the item it moves.
    name = re.compile(r"^Theme for “" + re.escape(item_text[:60]))
    select = console.get_by_role("combobox", name=name)
    select.select_option(label=theme)
    expect(theme_card(console, theme).get_by_text(item_text, exact=True)).to_be_visible(timeout=LIVE)
