"""The second round of measurement for proposed themes (docs/suggestions.md): every grouping
method tried, with pairwise F1 against the human grouping, on the tuning part by default.

    .venv/bin/python bench/theme_trials.py                    # the table, tuning part
    .venv/bin/python bench/theme_trials.py --split heldout --only concerns   # the one held-out run

Contributions left out of every group count as singletons, as in bench/suggest.py. Numpy only.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.common_concerns import COMMON_THEMES  # noqa: E402
from bench.suggest import load, pair_counts, prf  # noqa: E402
from workshop.domain import meaning  # noqa: E402
from workshop.domain.meaning import _average_linkage  # noqa: E402
from workshop.domain.meaning.engines import get_engine  # noqa: E402
from workshop.domain.meaning.space import Space, as_matrix  # noqa: E402
from workshop.domain.starter_themes import STARTER_THEMES  # noqa: E402


def zscore(S):
    iu = np.triu_indices(len(S), 1)
    return (S - S[iu].mean()) / (S[iu].std() or 1.0)


def centred(M, part=0, drop=0, whiten=0):
    X = Space(M).apply(M, part=part)
    if drop or whiten:
        Xc = X - X.mean(0)
        _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
        X = Xc - (Xc @ Vt[:drop].T) @ Vt[:drop] if drop else (Xc @ Vt[:40].T) / s[:40] ** whiten
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def csls(S, k=5):
    T = S.copy()
    np.fill_diagonal(T, -np.inf)
    r = np.sort(T, 1)[:, -k:].mean(1)
    return 2 * S - r[:, None] - r[None, :]


def merge_small(groups, S, size):
    groups = [list(g) for g in groups]
    while len(groups) > 1 and any(len(g) < size for g in groups):
        g = min(groups, key=len)
        groups.remove(g)
        max(groups, key=lambda h: S[np.ix_(g, h)].mean()).extend(g)
    return groups


def down_to(S, target):
    """Average linkage until ``target`` groups remain."""
    n = len(S)
    Z = S.copy()
    np.fill_diagonal(Z, -np.inf)
    size, members = np.ones(n), {i: [i] for i in range(n)}
    while len(members) > target:
        i, j = divmod(int(np.argmax(Z)), n)
        m = (Z[i] * size[i] + Z[j] * size[j]) / (size[i] + size[j])
        Z[i], Z[:, i] = m, m
        Z[i, i] = -np.inf
        Z[j], Z[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        members[i] += members.pop(j)
    return list(members.values())


def kmeans(E, k, seeds=10):
    n, best = len(E), None
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        C = E[rng.choice(n, k, replace=False)]
        for _ in range(50):
            lab = np.argmax(E @ C.T, 1)
            C = np.array([E[lab == c].mean(0) if (lab == c).any() else C[c] for c in range(k)])
            C /= np.linalg.norm(C, axis=1, keepdims=True) + 1e-12
        obj = (E @ C.T)[np.arange(n), lab].sum()
        if best is None or obj > best[0]:
            best = (obj, lab)
    return groups_of(best[1])


def spectral(X, neighbours, k):
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    W = np.zeros_like(S)
    for i, row in enumerate(np.argsort(-S, 1)[:, :neighbours]):
        W[i, row] = np.maximum(S[i, row], 0) + 1e-3
    W = np.maximum(W, W.T)
    d = W.sum(1)
    _, v = np.linalg.eigh(W / np.sqrt(d[:, None] * d[None, :]))
    E = v[:, -k:]
    return kmeans(E / np.linalg.norm(E, axis=1, keepdims=True), k)


def groups_of(labels):
    out = {}
    for i, lab in enumerate(labels):
        out.setdefault(int(lab), []).append(i)
    return list(out.values())


_ANCHORS = {}


def anchor_matrix(with_starters):
    if with_starters not in _ANCHORS:
        themes = (STARTER_THEMES if with_starters else ()) + COMMON_THEMES
        texts = [x for t in themes for x in (f"{t.name_sv}. {t.description_sv}", f"{t.name_en}. {t.description_en}")]
        A = get_engine().encode(texts).astype(np.float64)
        _ANCHORS[with_starters] = (A[0::2] + A[1::2]) / 2
    return _ANCHORS[with_starters]


def around_concerns(M, with_starters=True, min_size=4):
    """Each contribution joins its nearest concern; a concern with fewer than ``min_size``
    (the weakest first) gives its contributions to their next best."""
    space = Space(M)
    P = space.apply(M, part=0) @ space.apply(anchor_matrix(with_starters), part=0).T
    alive = np.ones(P.shape[1], dtype=bool)
    while True:
        best = np.argmax(np.where(alive, P, -np.inf), 1)
        counts = np.bincount(best, minlength=P.shape[1])
        alive &= counts > 0
        small = [c for c in np.flatnonzero(alive) if counts[c] < min_size]
        if not small or alive.sum() == 1:
            return groups_of(best)
        alive[min(small, key=lambda c: (counts[c], P[:, c].max()))] = False


def profile(M, weight=1.0, cut=0.75, merge=4):
    space = Space(M)
    X = space.apply(M, part=0)
    P = X @ space.apply(anchor_matrix(True), part=0).T
    P = (P - P.mean(0)) / (P.std(0) + 1e-9)
    P /= np.linalg.norm(P, axis=1, keepdims=True)
    S = (zscore(X @ X.T) + weight * zscore(P @ P.T)) / (1 + weight)
    groups = _average_linkage(S, cut)
    return merge_small(groups, S, merge) if merge else groups


def consensus(M, cut=0.4, merge=4):
    n = len(M)
    X = centred(M)
    Z = zscore(X @ X.T)
    C, runs = np.zeros((n, n)), 0
    for c in (0.25, 0.5, 0.75, 1.0):
        for g in _average_linkage(Z, c):
            C[np.ix_(g, g)] += 1
        runs += 1
    for size in (3, 4, 5):
        for g in around_concerns(M, False, size):
            C[np.ix_(g, g)] += 1
        runs += 1
    groups = _average_linkage(C / runs, cut)
    return merge_small(groups, C, merge) if merge else groups


def linkage(M, cut=0.75, kind="cos", part=0, drop=0, whiten=0, merge=0, per=None):
    X = centred(M, part, drop, whiten)
    S = X @ X.T if kind == "cos" else csls(X @ X.T)
    groups = down_to(S, max(2, round(len(M) / per))) if per else _average_linkage(zscore(S), cut)
    return merge_small(groups, S, merge) if merge else groups


TRIALS = {
    "chosen": ("average linkage as chosen (cut 0.75)", [lambda M: linkage(M)]),
    "csls": ("average linkage on CSLS, cuts 0.25-1.0, tiny groups merged or not",
             [lambda M, c=c, m=m: linkage(M, c, "csls", merge=m) for c in (0.25, 0.5, 0.75, 1.0) for m in (0, 3, 4, 5)]),
    "count": ("average linkage down to n/5 ... n/10 groups",
              [lambda M, p=p, k=k: linkage(M, kind=k, per=p) for p in (5, 6, 7, 8, 10) for k in ("cos", "csls")]),
    "pc": ("query+passage halves, top principal component removed, cut 0.5",
           [lambda M: linkage(M, 0.5, part=None, drop=1)]),
    "spectral": ("spectral clustering, 5 or 8 neighbours, n/6 or n/8 groups",
                 [lambda M, k=k, p=p: spectral(centred(M, None, 1), k, max(2, round(len(M) / p)))
                  for k in (5, 8) for p in (6, 8)]),
    "whiten": ("whitened vectors (40 components), average linkage",
               [lambda M, c=c: linkage(M, c, whiten=0.5) for c in (0.5, 0.75, 1.0)]),
    "kmeans": ("k-means, k = n/5 ... n/10",
               [lambda M, p=p: kmeans(centred(M), max(2, round(len(M) / p))) for p in (5, 6, 7, 8, 10)]),
    "consensus": ("consensus of linkages and concern groupings", [lambda M, c=c: consensus(M, c) for c in (0.3, 0.4, 0.5, 0.6)]),
    "profile": ("similarity plus concern profile", [lambda M, w=w, c=c: profile(M, w, c) for w in (0.5, 1, 2) for c in (0.5, 0.75, 1.0)]),
    "concerns": ("around 23 common concerns + 8 starter themes, min 4", [lambda M: around_concerns(M, True, 4)]),
    "concerns-only": ("around the 23 common concerns alone, min 4", [lambda M: around_concerns(M, False, 4)]),
}


def f1_of(method, workshops, vectors):
    totals, per = [0, 0, 0], []
    for ws in workshops:
        groups = method(as_matrix(vectors[ws["workshop"]]))
        labels = [None] * len(ws["items"])
        for n, g in enumerate(groups):
            if len(g) >= 2:
                for i in g:
                    labels[i] = n
        counts = pair_counts([item["theme"] for item in ws["items"]], labels)
        per.append(prf(*counts)[2])
        totals = [a + b for a, b in zip(totals, counts)]
    return prf(*totals)[2], per


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="tuning", choices=("tuning", "heldout"))
    parser.add_argument("--only", choices=sorted(TRIALS))
    args = parser.parse_args()
    workshops = load(args.split)
    vectors = {ws["workshop"]: meaning.embed([i["text"] for i in ws["items"]]) for ws in workshops}
    print(f"proposed themes, pairwise F1 on the {args.split} part ({', '.join(w['workshop'] for w in workshops)})")
    for key, (title, variants) in TRIALS.items():
        if args.only and key != args.only:
            continue
        results = [f1_of(v, workshops, vectors) for v in variants]
        lo, hi = min(r[0] for r in results), max(r[0] for r in results)
        best = max(results, key=lambda r: r[0])[1]
        span = f"{hi:.2f}" if len(results) == 1 else f"{lo:.2f}-{hi:.2f}"
        print(f"  {title:70s} {span:10s} best per workshop {', '.join(f'{x:.2f}' for x in best)}")


if __name__ == "__main__":
    main()
