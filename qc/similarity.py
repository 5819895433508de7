"""Near-duplicate search: character n-gram MinHash, LSH candidates, rapidfuzz verification.

This is the only module that imports datasketch and rapidfuzz. Shingle hashing and the MinHash
permutation-min run vectorised in numpy (one Python call per text, none per shingle); the
signatures use datasketch's `affine32` scheme, so they are handed to datasketch's `LeanMinHash`
and `MinHashLSH` as they are. LSH only proposes candidates: every match is verified exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

_SEED = 1
_SCHEME = "affine32"
_MULTIPLIER = np.uint32(0x01000193)  # FNV prime: spreads code points before the fmix below
_CHUNK = 1 << 15  # shingles per block of the (shingles x permutations) matrix


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: the pre-mix datasketch's affine schemes apply to input hashes."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def shingle_hashes(text: str, ngram: int) -> np.ndarray:
    """32-bit hashes of the character n-grams of `text` (the whole text if shorter)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    count = max(len(points) - ngram + 1, 1)
    hashes = np.zeros(count, dtype=np.uint32)
    for offset in range(min(ngram, len(points))):
        hashes = hashes * _MULTIPLIER + points[offset : offset + count]
    return _fmix32(hashes)


class Signer:
    """Computes MinHash signatures compatible with `datasketch.MinHash(num_perm, seed=1)`."""

    def __init__(self, num_perm: int, ngram: int) -> None:
        template = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)
        self.num_perm = num_perm
        self.ngram = ngram
        self._a = template.permutations[0].astype(np.uint32)
        self._b = template.permutations[1].astype(np.uint32)

    def signature(self, text: str) -> np.ndarray:
        hashes = shingle_hashes(text, self.ngram)
        result = np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        for start in range(0, len(hashes), _CHUNK):
            block = hashes[start : start + _CHUNK, None] * self._a + self._b
            np.minimum(result, block.min(axis=0), out=result)
        return result

    def lean(self, signature: np.ndarray) -> LeanMinHash:
        return LeanMinHash(seed=_SEED, hashvalues=signature, scheme=_SCHEME)


def similarity(a: str, b: str) -> float:
    """Normalised edit similarity in 0..1 (1 - Indel distance / total length)."""
    return float(Indel.normalized_similarity(a, b))


def containment(short: str, long: str) -> float:
    """How well `short` aligns somewhere inside `long`, 0..1."""
    if not short or not long:
        return 0.0
    return float(fuzz.partial_ratio(short, long)) / 100.0


@cache
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows for a threshold: datasketch finds them by numeric integration, which
    costs ~30 ms, so it is done once per setting rather than once per document."""
    probe = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return probe.b, probe.r


@dataclass(frozen=True)
class Match:
    key: int
    similarity: float


class NearIndex:
    """Texts inserted under integer keys; `best` finds the most similar verified earlier text."""

    def __init__(
        self,
        *,
        num_perm: int,
        ngram: int,
        threshold: float,
        min_similarity: float,
        max_candidates: int,
    ) -> None:
        self._signer = Signer(num_perm, ngram)
        self._lsh = MinHashLSH(num_perm=num_perm, params=lsh_params(threshold, num_perm))
        self._texts: dict[int, str] = {}
        self._min_similarity = min_similarity
        self._max_candidates = max_candidates

    def best(self, text: str) -> tuple[Match | None, LeanMinHash]:
        """The best verified match for `text`, and its MinHash for a later `insert`."""
        minhash = self._signer.lean(self._signer.signature(text))
        candidates: Sequence[int] = self._lsh.query(minhash)
        if len(candidates) > self._max_candidates:
            candidates = sorted(candidates)[: self._max_candidates]
        best: Match | None = None
        for key in candidates:
            score = similarity(text, self._texts[key])
            if score >= self._min_similarity and (best is None or score > best.similarity):
                best = Match(key, score)
        return best, minhash

    def insert(self, key: int, text: str, minhash: LeanMinHash) -> None:
        self._texts[key] = text
        self._lsh.insert(key, minhash, check_duplication=False)
