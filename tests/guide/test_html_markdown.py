"""HTML and Markdown: the same guide with charts and the chain from votes to ranks, and
participants' text that stays text."""
from __future__ import annotations

import re

from workshop.domain.guide import build_guide
from workshop.domain.model import Ballot
from workshop.export.charts import charts_for

from .conftest import demo_state, replace


def test_html_inlines_both_charts_as_svg_and_loads_nothing(rendered):
    html = rendered("html")
    charts = re.findall(r'<figure class="chart" id="chart-([a-z_]+)"', html)
    assert charts == ["vote_bars", "perspective_comparison"]
    assert not re.search(r'(src|href)="(?!#)', html)  # no external or relative resources at all
    assert "@import" not in html and "url(" not in html
    assert "@page {\n  size: A4;\n  margin: 24mm" not in html  # the paged stylesheet is the PDF's only


def test_html_escapes_hostile_text_in_body_and_charts(rendered):
    html = rendered("html")
    assert "<script>" not in html and "<b>fet</b>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html
    chart = html.split('id="chart-vote_bars"')[1].split("</figure>")[0]
    assert "Tid och kompetens &lt;i&gt;&amp;amp;&lt;/i&gt;" in chart  # a theme name inside the SVG
    assert "\x0b" not in html and "\x00" not in html


def test_markdown_escapes_hostile_text(rendered):
    text = rendered("md")
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "\\*\\*inte fet\\*\\* \\# inte rubrik" in text


def test_every_theme_cites_its_contributions_and_the_appendix_shows_the_sum_of_ballots(rendered):
    html = rendered("html")
    trace = html.split('id="traceability"')[1].split("</section>")[0]
    assert "<td>14 = 3 + 3 + 3 + 2 + 2 + 1</td>" in trace
    # Numbers run in reading order: rank 1's challenges (the demo's three, then the hostile seven),
    # then its two success factors, and the next theme goes on from 13.
    assert "<td>1–12</td>" in trace and "<td>13–" in trace
    theme = html.split('id="theme-1"')[1].split("</article>")[0]
    assert [theme.count(f'<li id="c{n}">') for n in range(1, 13)] == [1] * 12 and '<li id="c13">' not in theme
    markdown = rendered("md")
    assert "nr 1" in markdown and "14 = 3 + 3 + 3 + 2 + 2 + 1" in markdown


def test_charts_appear_only_with_the_data_behind_them():
    state = demo_state()
    assert [c.key for c in charts_for(build_guide(state))] == ["vote_bars", "perspective_comparison"]
    one_perspective = replace(state, ballots=tuple(Ballot(b.participant_id, "buyer", b.allocation)
                                                   for b in state.ballots))
    assert [c.key for c in charts_for(build_guide(one_perspective))] == ["vote_bars"]
    no_votes = replace(state, ballots=())
    assert charts_for(build_guide(no_votes)) == []


def test_a_draft_says_so_in_html_and_markdown(rendered):
    assert "Utkast" in rendered("html", phase="prioritise").split("<h1>")[0]
    assert "Utkast" not in rendered("html").split("<h1>")[0]
    assert rendered("md", phase="prioritise").splitlines()[0].startswith("# Hur kan vi")
