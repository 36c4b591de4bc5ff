"""The support guide: one model, built from a hand-made workshop, rendered as Markdown and HTML.

No database and no server: the domain is pure, and the renderers need only a bare Flask app with
Flask-Babel so that labels and numbers go through the translation layer.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from workshop.domain.guide import build_guide
from workshop.domain.model import (Advice, Ballot, Item, Lane, Participant, Perspective, Theme,
                                   VotingRules, WorkshopState)
from workshop.export import FORMATS, render_html, render_markdown

REPO = Path(__file__).resolve().parents[2]
QUESTION = "Hur gör vi behovsarbetet inför upphandling bättre?"
NAMES = ("Anna Lindqvist", "Björn Ek", "Carin Holm", "David Sund", "Eva Berg",
         "Fredrik Ås", "Greta Nyman", "Hassan Ali", "Ingrid Moberg")
PERSPECTIVE_OF = ("buyer", "buyer", "requester", "requester", "supplier", "supplier", "legal",
                  "supplier", None)
# Theme ids 1..5 by position; the ballots below give 12, 9, 9, 5 and 3 dots.
THEMES = ("Styrning och tydliga beslutsvägar", "Tid och kompetens", "Koppla behov till strategiska mål",
          "Testa med användare och leverantörer", "Rätt personer kartlägger behoven")
BALLOTS = ({1: 3, 2: 2}, {1: 2, 3: 3}, {1: 3, 4: 2}, {2: 3, 3: 2}, {4: 3, 5: 2},
           {1: 2, 2: 2, 3: 1}, {1: 2, 3: 3}, {2: 2, 5: 1})
ITEMS = (
    ("challenge", 1, "Det saknas styrning och riktlinjer för hur behov ska tas fram"),
    ("challenge", 1, "Oklart vem som fattar beslut om vad som ska upphandlas"),
    ("challenge", 2, "Verksamheten har inte tid att delta i behovsanalysen"),
    ("challenge", 2, "Brist på kompetens om marknaden hos beställarna"),
    ("challenge", 5, "Behoven kartläggs av fel personer, långt från användarna"),
    ("success_factor", 3, "Koppla varje behov till verksamhetens strategiska mål"),
    ("success_factor", 3, "Prioritera behoven tillsammans innan kravställningen"),
    ("success_factor", 4, "Testa behoven med användare och leverantörer tidigt"),
    ("success_factor", 1, "En tydlig beslutsordning med namngivna ägare"),
    ("success_factor", None, "Tidig dialog med marknaden via RFI och leverantörsträffar"),
    ("challenge", None, "Uppföljning av avtalen glöms bort"),
)


def make_state(**changes) -> WorkshopState:
    created = datetime(2025, 11, 20, 9, 30, tzinfo=timezone.utc)
    participants = tuple(Participant(n + 1, p, NAMES[n]) for n, p in enumerate(PERSPECTIVE_OF))
    items = tuple(Item(n + 1, lane, text, theme, participant_id=(n % 9) + 1)
                  for n, (lane, theme, text) in enumerate(ITEMS))
    items += (Item(99, "challenge", "Anna Lindqvist tycker att chefen är värdelös", 1,
                   participant_id=1, hidden=True),)
    state = WorkshopState(
        code="K7QX", question=QUESTION, language="sv", template="think-tank", phase="advice",
        created_at=created,
        lanes=(Lane("challenge", "Utmaning"), Lane("success_factor", "Framgångsfaktor")),
        perspectives=(Perspective("buyer", "Upphandlare"), Perspective("requester", "Beställare"),
                      Perspective("supplier", "Leverantör"), Perspective("legal", "Jurist")),
        participants=participants,
        items=items,
        themes=tuple(Theme(n + 1, name, position=n) for n, name in enumerate(THEMES)),
        ballots=tuple(Ballot(n + 1, PERSPECTIVE_OF[n], dict(a)) for n, a in enumerate(BALLOTS)),
        advice=(Advice(1, 1, "Börja med behovet, inte med lösningen."),
                Advice(2, 5, "Bjud in leverantörer innan kraven låses."),
                Advice(3, 7, "Avsätt tid i verksamheten redan i budgeten.")),
        voting=VotingRules(dots=5, max_per_entry=3),
    )
    return dataclasses.replace(state, **changes)


@pytest.fixture
def app():
    app = Flask(__name__, template_folder=str(REPO / "templates"))
    Babel(app)
    with app.app_context():
        yield app


# --- the model -------------------------------------------------------------------------------

def test_themes_come_in_rank_order_with_ties_broken_by_position():
    guide = build_guide(make_state())
    assert [t.id for t in guide.themes] == [1, 2, 3, 4, 5]
    assert [(t.result.rank, t.result.tied, t.result.score) for t in guide.themes] == [
        (1, False, 12), (2, True, 9), (2, True, 9), (4, False, 5), (5, False, 3)]
    assert guide.votes.voters == 8 and guide.votes.dots_cast == 38
    top = guide.themes[0].result
    assert top.voters == 5 and top.share == pytest.approx(12 / 38) and top.voter_share == pytest.approx(5 / 8)


def test_summary_keeps_every_theme_tied_at_the_cut_off():
    assert [t.id for t in build_guide(make_state()).summary] == [1, 2, 3]
    tied_third = make_state(ballots=(Ballot(1, "buyer", {1: 3, 2: 2}), Ballot(2, "legal", {3: 1, 4: 1})))
    assert [t.id for t in build_guide(tied_third).summary] == [1, 2, 3, 4]


def test_split_by_perspective_follows_template_order_and_counts_unstated():
    guide = build_guide(make_state(ballots=make_state().ballots + (Ballot(9, None, {1: 1}),)))
    assert [(p.key, p.name, p.count) for p in guide.votes.perspectives] == [
        ("buyer", "Upphandlare", 10), ("requester", "Beställare", 10), ("supplier", "Leverantör", 13),
        ("legal", "Jurist", 5), ("", "", 1)]
    top = guide.themes[0]
    assert [(p.key, p.count) for p in top.result.by_perspective] == [
        ("buyer", 5), ("requester", 3), ("supplier", 2), ("legal", 2), ("", 1)]


def test_title_counts_participants_by_perspective_and_marks_drafts():
    guide = build_guide(make_state())
    title = guide.title
    assert title.question == QUESTION and title.date.isoformat() == "2025-11-20"
    assert title.participants == 9 and title.draft is True
    assert [(p.name, p.count) for p in title.participants_by_perspective] == [
        ("Upphandlare", 2), ("Beställare", 2), ("Leverantör", 3), ("Jurist", 1), ("", 1)]
    assert title.method.template_name == "Needs-assessment think tank"
    assert build_guide(make_state(phase="closed")).title.draft is False


def test_lanes_group_items_by_theme_in_rank_order_with_unthemed_last():
    guide = build_guide(make_state())
    assert [(lane.key, lane.name) for lane in guide.lanes] == [
        ("challenge", "Utmaning"), ("success_factor", "Framgångsfaktor")]
    challenge = guide.lanes[0]
    assert [g.theme_id for g in challenge.groups] == [1, 2, 5, None]
    assert challenge.groups[-1].items[0].text == "Uppföljning av avtalen glöms bort"
    assert [g.theme_id for g in guide.lanes[1].groups] == [1, 3, 4, None]


def test_hidden_items_and_names_never_reach_the_guide():
    guide = build_guide(make_state())
    everywhere = repr(guide)
    assert "värdelös" not in everywhere
    for name in NAMES:
        assert name not in everywhere
    assert len(guide.appendix) == len(ITEMS)
    assert all(i.id != 99 for t in guide.themes for i in t.items)


def test_appendix_lists_lane_theme_and_theme_votes():
    guide = build_guide(make_state())
    first = guide.appendix[0]
    assert (first.lane_name, first.theme_name, first.theme_score) == (
        "Utmaning", THEMES[0], 12)
    # Numbered in reading order: the top theme's challenges, then its success factors, then the next theme.
    top = [i for i in guide.appendix if i.theme_id == guide.themes[0].id]
    assert [i.ref for i in top] == list(range(1, len(top) + 1))
    assert [i.lane for i in top] == sorted((i.lane for i in top), key=["challenge", "success_factor"].index)
    unthemed = [i for i in guide.appendix if i.theme_id is None]
    assert len(unthemed) == 2 and all(i.theme_score is None for i in unthemed)
    assert guide.appendix[-2:] == tuple(unthemed) == guide.unthemed


def test_without_votes_there_are_no_results_and_themes_keep_their_positions():
    guide = build_guide(make_state(ballots=(), themes=tuple(reversed(make_state().themes))))
    assert guide.votes is None and guide.summary == () and not guide.has_results
    assert [t.id for t in guide.themes] == [1, 2, 3, 4, 5]
    assert all(t.result is None for t in guide.themes)
    assert all(i.theme_score is None for i in guide.appendix)


def test_results_are_included_even_when_not_revealed_to_the_room():
    assert build_guide(make_state(results_revealed=False)).has_results


def test_items_pointing_at_unknown_lanes_or_themes_still_appear():
    extra = Item(50, "risk", "Ett bidrag i en borttagen kolumn", theme_id=404)
    guide = build_guide(make_state(items=make_state().items + (extra,)))
    lane = guide.lanes[-1]
    assert (lane.key, lane.name) == ("risk", "risk")
    assert lane.groups[0].theme_id is None and lane.groups[0].items[0].id == 50


# --- the renderers ---------------------------------------------------------------------------

MALICIOUS = ("<script>alert(1)</script>", "# not a heading", "- [länk](javascript:x) *fet* _kursiv_ `kod` | rör")


def malicious_state(**changes) -> WorkshopState:
    items = make_state().items + tuple(Item(60 + n, "challenge", text, 1) for n, text in enumerate(MALICIOUS))
    return make_state(items=items, question="# Fråga med <b>taggar</b> & mer", **changes)


def test_markdown_starts_with_the_question_and_summarises_the_top_theme(app):
    text = render_markdown(build_guide(make_state()))
    assert text.splitlines()[0] == f"# {QUESTION}"
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert f"1\\. **{THEMES[0]}**: 12 dots" in summary
    assert "2\\. **Tid och kompetens**" in summary and "2\\. **Koppla" in summary
    assert "shared rank" in summary
    assert "| 2 (shared) | Tid och kompetens | 9 |" in text
    assert "#### Utmaning" in text and "#### Framgångsfaktor" in text  # renamed lanes keep their names
    assert "Not grouped into a theme" in text
    assert "Börja med behovet, inte med lösningen." in text
    assert text.rstrip().endswith("*Generated with Needs workshop.*")  # the product, as the English screens name it


def test_lanes_with_template_names_get_plural_headings(app):
    lanes = (Lane("challenge", "Challenge"), Lane("success_factor", "Success factor"))
    guide = build_guide(make_state(lanes=lanes))
    assert "#### Challenges" in render_markdown(guide) and "#### Success factors" in render_markdown(guide)
    assert '>Challenges</h4>' in render_html(guide)


def test_markdown_escapes_user_text(app):
    text = render_markdown(build_guide(malicious_state()))
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not any(line.startswith("# not a heading") for line in text.splitlines())
    assert "- \\# not a heading" in text
    assert "\\[länk\\](javascript:x) \\*fet\\* \\_kursiv\\_ \\`kod\\` \\| rör" in text
    assert text.splitlines()[0] == "# \\# Fråga med &lt;b&gt;taggar&lt;/b&gt; & mer"


def test_html_starts_with_the_question_and_escapes_user_text(app):
    html = render_html(build_guide(malicious_state()))
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == "# Fråga med &lt;b&gt;taggar&lt;/b&gt; &amp; mer"
    assert html.index("<h1>") < html.index("<h2>")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '"># not a heading <span class="meta">' in html


def test_html_summarises_with_numbers_and_draws_bars_without_external_resources(app):
    html = render_html(build_guide(make_state()))
    summary = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert THEMES[0] in summary and "12 dots" in summary
    assert '<rect class="fill" width="100.0"' in html and '<rect class="fill" width="75.0"' in html
    assert "<style>" in html and "Perspective comparison" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "Generated with Needs workshop." in html


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_draft_marker_only_while_the_workshop_is_open(app, render):
    assert "Draft" in render(build_guide(make_state(phase="prioritise")))
    assert "Draft" not in render(build_guide(make_state(phase="closed")))


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_rendered_guides_leak_no_names_and_no_hidden_items(app, render):
    text = render(build_guide(make_state()))
    assert "värdelös" not in text
    for name in NAMES:
        assert name not in text


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_rendering_without_votes_says_so(app, render):
    text = render(build_guide(make_state(ballots=())))
    assert "No votes have been cast yet" in text and THEMES[0] in text


def test_a_single_dot_reads_in_the_singular(app):
    text = render_markdown(build_guide(make_state(ballots=(Ballot(1, "buyer", {4: 1}),))))
    assert "1 dot (100% of all dots), from 1 of 1 voters" in text
    assert "Voters: 1 · Dots cast: 1 · Themes: 5" in text


def test_language_argument_formats_numbers_and_dates_for_the_workshop(app):
    text = render_markdown(build_guide(make_state()), language="sv")
    assert "20 november 2025" in text
    assert re.search(r"32\s%", text)  # Swedish puts a (non-breaking) space before the percent sign


def test_formats_registry_maps_each_format_to_mimetype_and_renderer():
    assert FORMATS["md"] == ("text/markdown; charset=utf-8", render_markdown)
    assert FORMATS["html"] == ("text/html; charset=utf-8", render_html)
