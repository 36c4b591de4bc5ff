"""Grouping suggestions: likely duplicates and proposed themes, from the items' text alone.

Language-agnostic and without any model: each item becomes a TF-IDF vector of its character
n-grams (3 to 5 characters, taken inside words padded with a space on each side, lower-cased,
accents kept so that å, ä and ö stay distinct letters), and items are compared by cosine
similarity. Swedish compounds and inflections ("behovsanalys", "behovsanalysen") share most of
their n-grams, which is what makes this work for Swedish as well as English.

Everything here is deterministic: the same items in the same order give the same suggestions.
Nothing is grouped here; the facilitator accepts, edits or rejects each suggestion.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

# Tuned on tests/corpus/items.json (see tests/unit/test_suggestions.py, which prints the
# precision and recall these give on it).
DUPLICATE_THRESHOLD = 0.45
THEME_THRESHOLD = 0.2
NGRAM_RANGE = (3, 5)
MIN_THEME_SIZE = 2
MAX_NAME_WORDS = 3

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Words too common to name a theme by. IDF already weighs them down in the similarity; these
# lists only keep them out of suggested names.
STOPWORDS = frozenset("""
a an and are as at be by can do does for from has have how in is it its more no not of on or
our so than that the their there they this to too we what when which who will with without
you your all any each into only other same also about
att och en ett det den de är av för på med som till om vi inte har kan ska måste vid när
eller men så hur vad var sin sitt sina våra vår vårt oss man alla från efter utan mer än
mycket många blir bli finns får ofta idag både också inom samma under
""".split())


@dataclass(frozen=True)
class Text:
    id: int
    text: str


@dataclass(frozen=True)
class DuplicatePair:
    keep_id: int  # the earlier item: the one the other would be merged into
    other_id: int
    similarity: float

    @property
    def key(self) -> str:
        return suggestion_key("duplicate", (self.keep_id, self.other_id))


@dataclass(frozen=True)
class ThemeProposal:
    name: str
    item_ids: tuple[int, ...]
    central_id: int
    cohesion: float

    @property
    def key(self) -> str:
        return suggestion_key("theme", self.item_ids)


def suggestion_key(kind: str, item_ids) -> str:
    """A stable name for a suggestion, by what it proposes: a rejected one is not proposed again."""
    body = kind + ":" + ",".join(str(i) for i in sorted(item_ids))
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ngrams(text: str, low: int = NGRAM_RANGE[0], high: int = NGRAM_RANGE[1]) -> Counter:
    """Character n-grams inside word boundaries: " behov" and "ov " mark a word's start and end."""
    grams: Counter = Counter()
    for word in words(text):
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                continue
            for start in range(len(padded) - n + 1):
                grams[padded[start:start + n]] += 1
    return grams


def vectors(texts: list[str]) -> list[dict[str, float]]:
    """Sublinear TF, smoothed IDF, L2-normalised: the usual TF-IDF, computed over these texts."""
    counts = [ngrams(text) for text in texts]
    df: Counter = Counter()
    for grams in counts:
        df.update(grams.keys())
    total = len(texts)
    idf = {gram: math.log((1 + total) / (1 + freq)) + 1.0 for gram, freq in df.items()}
    result = []
    for grams in counts:
        vec = {gram: (1.0 + math.log(tf)) * idf[gram] for gram, tf in grams.items()}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        result.append({gram: w / norm for gram, w in vec.items()} if norm else {})
    return result


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(gram, 0.0) for gram, w in a.items())


def similarities(items: list[Text]) -> dict[tuple[int, int], float]:
    """Cosine similarity of every pair (by index, i < j) that shares any n-gram."""
    vecs = vectors([item.text for item in items])
    # An inverted index keeps this to pairs that share something, not all n² pairs.
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vec in enumerate(vecs):
        for gram, weight in vec.items():
            postings[gram].append((index, weight))
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        for x in range(len(entries)):
            i, wi = entries[x]
            for y in range(x + 1, len(entries)):
                j, wj = entries[y]
                scores[(i, j)] += wi * wj
    return dict(scores)


def likely_duplicates(items: list[Text], threshold: float = DUPLICATE_THRESHOLD,
                      sims: dict[tuple[int, int], float] | None = None) -> list[DuplicatePair]:
    """Pairs of items similar enough to be one need said twice, most similar first."""
    sims = similarities(items) if sims is None else sims
    pairs = [DuplicatePair(items[i].id, items[j].id, round(score, 4))
             for (i, j), score in sims.items() if score >= threshold]
    pairs.sort(key=lambda p: (-p.similarity, p.keep_id, p.other_id))
    return pairs


def propose_themes(items: list[Text], threshold: float = THEME_THRESHOLD,
                   sims: dict[tuple[int, int], float] | None = None,
                   min_size: int = MIN_THEME_SIZE) -> list[ThemeProposal]:
    """Clusters of similar items (average-linkage agglomerative clustering stopped at
    ``threshold``), each with a name taken from its most central item's salient words."""
    sims = similarities(items) if sims is None else sims
    clusters: dict[int, list[int]] = {i: [i] for i in range(len(items))}

    def pair(i: int, j: int) -> float:
        return sims.get((i, j) if i < j else (j, i), 0.0)

    def link(a: list[int], b: list[int]) -> float:
        return sum(pair(i, j) for i in a for j in b) / (len(a) * len(b))

    while True:
        best = None
        keys = sorted(clusters)
        # Only clusters linked by some similar pair can reach the threshold.
        neighbours: dict[int, set[int]] = defaultdict(set)
        owner = {i: key for key, members in clusters.items() for i in members}
        for (i, j), score in sims.items():
            if score > 0 and owner[i] != owner[j]:
                a, b = sorted((owner[i], owner[j]))
                neighbours[a].add(b)
        for a in keys:
            for b in sorted(neighbours.get(a, ())):
                score = link(clusters[a], clusters[b])
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, a, b)
        if best is None:
            break
        _, a, b = best
        clusters[a] = sorted(clusters[a] + clusters.pop(b))

    vecs_words = _word_weights(items)
    proposals = []
    for members in clusters.values():
        if len(members) < min_size:
            continue
        centrality = {i: sum(pair(i, j) for j in members if j != i) / (len(members) - 1) for i in members}
        central = max(members, key=lambda i: (centrality[i], -i))
        cohesion = sum(centrality.values()) / len(members)
        proposals.append(ThemeProposal(
            name=_name(items, members, central, vecs_words),
            item_ids=tuple(sorted(items[i].id for i in members)),
            central_id=items[central].id, cohesion=round(cohesion, 4)))
    proposals.sort(key=lambda p: (-len(p.item_ids), -p.cohesion, p.item_ids))
    return proposals


def _stem(word: str) -> str:
    return word[:6]


def _word_weights(items: list[Text]) -> dict[str, float]:
    df: Counter = Counter()
    for item in items:
        df.update({_stem(w) for w in words(item.text)})
    total = len(items)
    return {stem: math.log((1 + total) / (1 + freq)) + 1.0 for stem, freq in df.items()}


def _name(items: list[Text], members: list[int], central: int, idf: dict[str, float]) -> str:
    """The central item's words that the cluster shares most and the whole room shares least."""
    shared: Counter = Counter()
    for i in members:
        shared.update({_stem(w) for w in words(items[i].text)})
    candidates = []
    seen = set()
    for position, word in enumerate(words(items[central].text)):
        stem = _stem(word)
        if word in STOPWORDS or len(word) < 3 or stem in seen or word.isdigit():
            continue
        seen.add(stem)
        score = shared[stem] * idf.get(stem, 1.0)
        candidates.append((score, position, word))
    chosen = sorted(candidates, key=lambda c: (-c[0], c[1]))[:MAX_NAME_WORDS]
    chosen.sort(key=lambda c: c[1])  # in the order the item says them
    name = " ".join(word for _, _, word in chosen) or items[central].text[:40]
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Suggestions:
    duplicates: tuple[DuplicatePair, ...]
    themes: tuple[ThemeProposal, ...]


def suggest(grouping: list[Text], everything: list[Text] | None = None,
            rejected: frozenset[str] = frozenset()) -> Suggestions:
    """Themes for the ungrouped items (``grouping``) and duplicates among all items shown
    (``everything``, default the same), leaving out what the facilitator rejected."""
    everything = grouping if everything is None else everything
    duplicates = tuple(p for p in likely_duplicates(everything) if p.key not in rejected)
    themes = tuple(p for p in propose_themes(grouping) if p.key not in rejected)
    return Suggestions(duplicates, themes)
