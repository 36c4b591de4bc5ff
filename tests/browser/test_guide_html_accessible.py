"""The HTML guide, as "Open HTML" shows it, meets WCAG 2.1 AA (axe-core in Chromium), on a laptop
and on a phone, with the first page's summary, the editorial parts and every chapter in it; its
structure runs h1, h2, h3, h4 without a skipped level."""
from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from workshop.domain.guide import build_guide
from workshop.export import render_html

from tests.browser.accessibility import assert_accessible
from tests.guide.conftest import REPO, demo_state


@pytest.fixture(scope="module")
def guide_html():
    app = Flask(__name__, template_folder=str(REPO / "templates"))
    Babel(app, default_translation_directories=str(REPO / "workshop" / "translations"))
    with app.app_context(), force_locale("sv"):
        return render_html(build_guide(demo_state(editorial=True)))


def test_headings_never_skip_a_level(guide_html):
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", guide_html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_html_guide_is_accessible(browser, guide_html, kind, shots):
    from tests.browser.conftest import SCREENS
    context = browser.new_context(**SCREENS[kind])
    try:
        page = context.new_page()
        page.set_content(guide_html)
        assert page.locator("#first-page #summary .top > li").count() == 4
        assert page.locator("#conclusion").is_visible() and page.locator("#next-steps").is_visible()
        assert_accessible(page, f"guide.html ({kind})")
        shots(page, f"guide-html-{kind}")
    finally:
        context.close()
