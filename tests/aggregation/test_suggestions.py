"""The grouping suggestions of the domain core, measured on a corpus written for the project."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.aggregation.conftest import MEASURES
from workshop.domain import suggestions as s

CORPUS = json.loads((Path(__file__).resolve().parents[1] / "corpus" / "items.json").read_text("utf-8"))
ITEMS = [s.Text(item["id"], item["text"]) for item in CORPUS["items"]]
LABELLED = {tuple(sorted(pair)) for group in CORPUS["duplicates"] for pair in itertools.combinations(group, 2)}


def test_the_corpus_is_realistic_in_size_and_in_both_languages():
    languages = {item["lang"] for item in CORPUS["items"]}
    assert 80 <= len(ITEMS) <= 150 and languages == {"sv", "en"}
    assert all(item["theme"] for item in CORPUS["items"])
    assert len(LABELLED) >= 30


def test_duplicate_detection_reaches_its_precision_and_recall_floors_and_reports_them():
    found = {(p.keep_id, p.other_id) for p in s.likely_duplicates(ITEMS)}
    true_positives = len(found & LABELLED)
    precision = true_positives / len(found)
    recall = true_positives / len(LABELLED)
    line = (f"duplicates: precision={precision:.2f} recall={recall:.2f} "
            f"({true_positives} of {len(found)} found pairs labelled, {len(LABELLED)} labelled pairs, "
            f"threshold {s.DUPLICATE_THRESHOLD})")
    print(line)
    MEASURES.append(line)
    assert precision >= 0.8
    assert recall >= 0.7


def test_proposed_themes_are_mostly_one_labelled_theme_each_and_report_their_purity():
    theme_of = {item["id"]: item["theme"] for item in CORPUS["items"]}
    proposals = s.propose_themes(ITEMS)
    assert proposals
    grouped = sum(len(p.item_ids) for p in proposals)
    majority = sum(max(list(map(theme_of.get, p.item_ids)).count(t) for t in set(map(theme_of.get, p.item_ids)))
                   for p in proposals)
    purity = majority / grouped
    line = f"themes: {len(proposals)} proposed covering {grouped} items, purity={purity:.2f}"
    print(line)
    MEASURES.append(line)
    assert purity >= 0.7
    assert all(len(p.item_ids) >= 2 for p in proposals)
    # No item is proposed for two themes at once.
    assert len({i for p in proposals for i in p.item_ids}) == grouped


def test_swedish_inflections_and_compounds_count_as_similar_and_accents_are_kept():
    pairs = s.similarities([s.Text(1, "Behovsanalysen får för kort tid"),
                            s.Text(2, "För kort tid för behovsanalys"),
                            s.Text(3, "Leverantörerna svarar sent")])
    assert pairs[(0, 1)] >= s.DUPLICATE_THRESHOLD
    assert pairs.get((0, 2), 0.0) < 0.2
    assert " på " in s.ngrams("Åka på ön") and " ön " in s.ngrams("Åka på ön")
    assert " pa " not in s.ngrams("Åka på ön")  # å is not folded to a
    assert "åka" in {g.strip() for g in s.ngrams("Åka")}


def test_unrelated_items_are_neither_duplicates_nor_a_theme():
    items = [s.Text(1, "The contract needs measurable indicators"), s.Text(2, "Små företag orkar inte lämna anbud")]
    assert s.likely_duplicates(items) == []
    assert s.propose_themes(items) == []


def test_a_theme_is_named_from_the_salient_words_its_items_share():
    items = [s.Text(1, "Ställ tydligare klimatkrav i upphandlingen"),
             s.Text(2, "Vi behöver tydligare klimatkrav i upphandlingarna"),
             s.Text(3, "Klimatkrav måste följas upp"),
             s.Text(4, "Avtalet behöver mätbara nyckeltal"),
             s.Text(5, "Inför mätbara nyckeltal i avtalet")]
    proposals = {p.item_ids: p for p in s.propose_themes(items)}
    assert set(proposals) == {(1, 2, 3), (4, 5)}
    assert "klimatkrav" in proposals[(1, 2, 3)].name.lower()
    assert "nyckeltal" in proposals[(4, 5)].name.lower()
    assert all(word not in s.STOPWORDS for p in proposals.values() for word in p.name.lower().split())


def test_suggestions_are_deterministic_and_leave_out_rejected_ones():
    first = s.suggest(ITEMS)
    assert first == s.suggest(list(ITEMS))
    rejected = frozenset({first.duplicates[0].key, first.themes[0].key})
    again = s.suggest(ITEMS, rejected=rejected)
    assert first.duplicates[0] not in again.duplicates and first.themes[0] not in again.themes
    assert len(again.duplicates) == len(first.duplicates) - 1
    assert len(again.themes) == len(first.themes) - 1


@pytest.mark.parametrize("kind", ["duplicate", "theme"])
def test_a_suggestions_key_does_not_depend_on_the_order_of_its_items(kind):
    assert s.suggestion_key(kind, (3, 1, 2)) == s.suggestion_key(kind, [1, 2, 3])
    assert s.suggestion_key(kind, (1, 2)) != s.suggestion_key(kind, (1, 3))
