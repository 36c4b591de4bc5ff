"""The language reference of the meaning engine, computed once and shipped with the code.

``space.reference`` needs the Swedish-minus-English offset of the engine's space, learned from the
starter themes' Swedish and English texts. Encoding those 32 texts costs several seconds of CPU on
a small machine, which every new server process paid before its first grouping suggestion (a
console asking right after a restart waited that long). The result depends only on the engine
and the texts, so it is kept here in ``reference.json`` with the engine's id and a digest of the
texts; a process reads it in a millisecond, and recomputes only when either differs.
``python -m workshop.domain.meaning.reference`` writes it again; tests/unit/test_meaning.py
fails when the file no longer matches what the engine computes.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from ..starter_themes import STARTER_THEMES

FILE = Path(__file__).with_name("reference.json")


def texts() -> tuple[list[str], list[str]]:
    """The starter themes' texts in Swedish and in English, pair by pair."""
    sv = [f"{t.name_sv}. {t.description_sv}" for t in STARTER_THEMES] + [t.name_sv for t in STARTER_THEMES]
    en = [f"{t.name_en}. {t.description_en}" for t in STARTER_THEMES] + [t.name_en for t in STARTER_THEMES]
    return sv, en


def digest() -> str:
    sv, en = texts()
    return hashlib.sha256("\n".join(sv + en).encode("utf-8")).hexdigest()


def compute(engine) -> tuple[np.ndarray, float]:
    """The offset and the threshold between the languages, from the engine itself."""
    sv, en = texts()
    vs = engine.encode(sv).astype(np.float64)
    ve = engine.encode(en).astype(np.float64)
    delta = vs.mean(0) - ve.mean(0)
    lo, hi = engine.parts[0]
    u = delta[lo:hi] / np.linalg.norm(delta[lo:hi])
    threshold = float(((vs[:, lo:hi] @ u).mean() + (ve[:, lo:hi] @ u).mean()) / 2)
    return delta, threshold


def load(engine) -> tuple[np.ndarray, float] | None:
    """The shipped reference, if it was made by this engine from these texts."""
    try:
        kept = json.loads(FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if kept.get("engine") != engine.id or kept.get("texts") != digest():
        return None
    return np.asarray(kept["delta"], dtype=np.float64), float(kept["threshold"])


def write(engine) -> None:
    delta, threshold = compute(engine)
    FILE.write_text(json.dumps({"engine": engine.id, "texts": digest(), "threshold": round(threshold, 7),
                                "delta": [round(float(x), 7) for x in delta]}) + "\n", encoding="utf-8")


if __name__ == "__main__":
    from .engines import get_engine

    write(get_engine())
    sys.exit(0)
