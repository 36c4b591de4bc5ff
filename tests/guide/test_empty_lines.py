"""A line that would say nothing is left out: "Dots by perspective:" only for a theme that got
dots (the HTML and PDF had printed it empty for a theme nobody voted for, as an outside reader
of the sample guide found; Markdown and DOCX already left it out)."""
from __future__ import annotations

import re

from workshop.domain import model

from .conftest import demo_state, render, replace


def test_no_dots_by_perspective_line_without_dots(guide_app):
    state = demo_state()
    unvoted = model.Theme(9999, "Ett tema utan prickar", len(state.themes) + 1)
    html = render(guide_app, "html", replace(state, themes=state.themes + (unvoted,)))
    lines = re.findall(r'<p class="split">(.*?)</p>', html, re.S)
    assert lines, "the demo shows dots by perspective for the themes that got dots"
    assert all('class="part"' in line for line in lines)
