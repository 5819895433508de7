"""Near-duplicate search: character n-gram MinHash, LSH banding, rapidfuzz verification.

This is the only module that imports rapidfuzz. Nothing on the hot path runs Python per
shingle: MinHash signatures come from one C loop per text (qc/_native.c) or, without the
extension, from one rolling hash over all code points of a batch and one (shingles x
permutations) minimum in numpy; tests hold the two equal. The
signatures are datasketch's: the same `affine32` permutations and MurmurHash3 pre-mix as
`datasketch.MinHash(num_perm, seed=1, scheme="affine32")` given our shingle hashes, and the LSH
bands and rows are the ones `datasketch.MinHashLSH` chooses for the threshold (tests hold both
equal). qc computes them itself rather than importing datasketch, which pulls in scipy and
costs ~0.4 s in every process. Banding itself is done here, on whole arrays: per band, every
text's candidate is the earliest text with the same band key, so a text is verified against
at most one candidate per band however many copies there are. Every candidate is verified exactly
(rapidfuzz edit similarity); LSH only proposes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import NamedTuple, TypeVar

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from qc.arrays import first_occurrence
from qc.native import native

_SEED = 1
_MULTIPLIER = np.uint32(0x01000193)  # FNV prime: spreads code points before the fmix below
_CHUNK_ROWS = 1 << 14  # shingles per block of the (shingles x permutations) matrix
_MAX = np.iinfo(np.uint32).max
T = TypeVar("T", int, np.ndarray)
_FIRST, _SECOND = np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64)  # one pair: (0, 1)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: the pre-mix datasketch's affine schemes apply to input hashes."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def _rolling(points: np.ndarray, ngram: int) -> np.ndarray:
    """Polynomial hash of every window of `ngram` code points (one per window start)."""
    count = len(points) - ngram + 1
    hashes = np.zeros(count, dtype=np.uint32)
    for offset in range(ngram):
        hashes = hashes * _MULTIPLIER + points[offset : offset + count]
    return hashes


def _padded(text: str, ngram: int) -> str:
    """A text shorter than one n-gram is one shingle: pad it to n characters with NULs."""
    return text + "\0" * (ngram - len(text)) if 0 < len(text) < ngram else text


def shingle_hashes(text: str, ngram: int) -> np.ndarray:
    """Raw 32-bit hashes of the character n-grams of `text`; what datasketch's `hashfunc`
    would return for each shingle."""
    points = np.frombuffer(_padded(text, ngram).encode("utf-32-le"), dtype=np.uint32)
    return _rolling(points, ngram) if len(points) else points


def _gauss_legendre(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on the Legendre
    recurrence: what `np.polynomial.legendre.leggauss` gives, without its LAPACK call, which
    leaves OpenBLAS threads spinning for ~0.1 s of CPU in every process (a worker's rival
    for the other core)."""
    nodes = np.cos(np.pi * (np.arange(1, count + 1) - 0.25) / (count + 0.5))
    for _ in range(100):
        value, previous = nodes, np.ones_like(nodes)  # P_1 and P_0 at the nodes
        for degree in range(2, count + 1):
            value, previous = (
                ((2 * degree - 1) * nodes * value - (degree - 1) * previous) / (degree),
                value,
            )
        slope = count * (nodes * value - previous) / (nodes**2 - 1)  # P_n'
        step = value / slope
        nodes = nodes - step
        if np.abs(step).max() < 1e-15:
            break
    weights = 2 / ((1 - nodes**2) * slope**2)
    return nodes[::-1].copy(), weights[::-1].copy()


@cache
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows for a threshold, as `datasketch.MinHashLSH` chooses them: the (b, r),
    b·r <= num_perm, that minimises the false positive plus false negative probability mass
    (weights 0.5 each). The integrands are polynomials of degree b·r <= num_perm, so
    Gauss-Legendre quadrature with num_perm / 2 + 1 nodes is exact (datasketch uses scipy's
    `quad`, and importing scipy costs ~0.4 s per process). A test holds the two equal."""
    nodes, node_weights = _gauss_legendre(num_perm // 2 + 1)
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in pairs], dtype=np.float64)[:, None]
    rows = np.array([r for _, r in pairs], dtype=np.float64)[:, None]

    def integral(low: float, high: float, positive: bool) -> np.ndarray:
        s = (high - low) / 2 * nodes[None, :] + (high + low) / 2
        miss = (1 - s**rows) ** bands  # probability that no band collides
        values = 1 - miss if positive else miss
        total: np.ndarray = (high - low) / 2 * (values * node_weights[None, :]).sum(axis=1)
        return total

    error = 0.5 * integral(0.0, threshold, True) + 0.5 * integral(threshold, 1.0, False)
    return pairs[int(np.argmin(error))]


def permutations(num_perm: int, seed: int = _SEED) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a·h + b mod 2^32 (a odd) that
    `datasketch.MinHash(num_perm, seed, scheme="affine32")` draws: the same generator and
    calls, without importing datasketch (and scipy). A test holds them equal."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


@cache
def signer(num_perm: int, ngram: int) -> Signer:
    return Signer(num_perm, ngram)


class Signer:
    """MinHash signatures for many texts at once."""

    def __init__(self, num_perm: int, ngram: int) -> None:
        self.num_perm = num_perm
        self.ngram = ngram
        self._a, self._b = permutations(num_perm)

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        """One row of `num_perm` uint32 per text; an empty text gets all-maximum values (in C
        when built: one pass per text, with no shingle array)."""
        if native is not None:
            rows = native.signatures(list(texts), self.ngram, self._a.tobytes(), self._b.tobytes())
            return np.frombuffer(rows, dtype=np.uint32).reshape(len(texts), self.num_perm)
        out = np.full((len(texts), self.num_perm), _MAX, dtype=np.uint32)
        hashes, owners = self._shingles(texts)
        if len(hashes) == 0:
            return out
        mixed = _fmix32(hashes)
        a, b = self._a[:, None], self._b[:, None]
        for start in range(0, len(mixed), _CHUNK_ROWS):
            # (permutations x shingles): the reduction below runs along contiguous memory.
            block = a * mixed[None, start : start + _CHUNK_ROWS] + b
            block_owners = owners[start : start + _CHUNK_ROWS]
            # Shingles are grouped by owner: reduce each owner's run to its minimum.
            firsts = np.flatnonzero(np.concatenate(([True], block_owners[1:] != block_owners[:-1])))
            minima = np.minimum.reduceat(block, firsts, axis=1).T
            who = block_owners[firsts]
            out[who] = np.minimum(out[who], minima)
        return out

    def span_signatures(self, text: str, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """`signatures` of the pieces `text[starts[i] : starts[i] + lengths[i]]` (in C when
        built: read in place, not cut out)."""
        if native is None:
            return self.signatures(
                [text[a : a + n] for a, n in zip(starts.tolist(), lengths.tolist(), strict=True)]
            )
        rows = native.span_signatures(
            text,
            np.ascontiguousarray(starts, dtype=np.int64),
            np.ascontiguousarray(lengths, dtype=np.int64),
            self.ngram,
            self._a.tobytes(),
            self._b.tobytes(),
        )
        return np.frombuffer(rows, dtype=np.uint32).reshape(len(starts), self.num_perm)

    def _shingles(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """All shingle hashes of all texts, in order, and the index of the text each is from."""
        n = self.ngram
        texts = [_padded(t, n) for t in texts]
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        nonempty = np.flatnonzero(lengths)
        if len(nonempty) == 0:
            return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
        starts = np.cumsum(lengths) - lengths
        counts = lengths[nonempty] - n + 1
        # Window k of text i starts at starts[i] + k: skip the windows that span two texts.
        shift = np.repeat(starts[nonempty] - (np.cumsum(counts) - counts), counts)
        windows = _rolling(points, n)[shift + np.arange(counts.sum())]
        return windows, np.repeat(nonempty, counts)


@cache
def _band_weights(rows: int) -> np.ndarray:
    """Odd random multipliers that hash a band's rows (and a group id) into one key."""
    rng = np.random.default_rng(_SEED)
    weights: np.ndarray = rng.integers(1, 2**63, size=rows + 1, dtype=np.uint64) | np.uint64(1)
    return weights


def band_candidates(
    signatures: np.ndarray, bands: int, rows: int, groups: np.ndarray | None = None
) -> np.ndarray:
    """For each text and band, the earliest text with the same band key (itself if none).
    Texts of different `groups` never share a key."""
    count = len(signatures)
    if count == 0:
        return np.zeros((0, bands), dtype=np.int64)
    weights = _band_weights(rows)
    if native is not None:  # a hash table per band instead of one sort of every key
        owners = np.zeros(count, dtype=np.int64) if groups is None else groups
        firsts = native.band_firsts(
            np.ascontiguousarray(signatures, dtype=np.uint32),
            signatures.shape[1],
            bands,
            rows,
            weights,
            np.ascontiguousarray(owners, dtype=np.int64),
        )
        return np.frombuffer(firsts, dtype=np.int64).reshape(count, bands)
    banded = signatures[:, : bands * rows].reshape(count, bands, rows).astype(np.uint64)
    keys = (banded * weights[:rows]).sum(axis=2)  # wraps modulo 2**64: a hash of the band
    if groups is not None:
        keys = keys + groups.astype(np.uint64)[:, None] * weights[rows]
    # One pass over all bands: tag each key with its band, lay them out band by band, and
    # the first index of each distinct key is its earliest text within that band.
    tagged = (
        keys.T * np.uint64(0x9E3779B97F4A7C15) + np.arange(bands, dtype=np.uint64)[:, None]
    ).ravel()
    return (first_occurrence(tagged) % count).reshape(bands, count).T


def similarity(a: str, b: str) -> float:
    """Normalised edit similarity in 0..1 (1 - Indel distance / total length)."""
    return float(Indel.normalized_similarity(a, b))


def containment(short: str, long: str, at_least: float = 0.0) -> float:
    """How well `short` aligns somewhere inside `long`, 0..1; 0 below `at_least`, which lets
    rapidfuzz skip alignments that cannot reach it (most tried do not: half the time)."""
    if not short or not long:
        return 0.0
    # A hair under the bound: rapidfuzz compares in percent, and `at_least * 100` can round
    # above a score that is exactly at the bound.
    cutoff = max(0.0, at_least * 100 - 1e-6)
    score = float(fuzz.partial_ratio(short, long, score_cutoff=cutoff)) / 100.0
    return score if score >= at_least else 0.0


@dataclass(frozen=True)
class NearSearch:
    """How near copies are searched for and verified."""

    num_perm: int
    ngram: int
    threshold: float
    min_similarity: float
    min_chars: int
    max_candidates: int


# Length classes: geometric steps of 10% from 4 characters (shorter: class 0), so that 64
# classes reach ~1,600 characters; longer texts share the last class.
_CLASS_FLOOR, _CLASS_STEP, _CLASSES = 4.0, 1.1, 64
_ALL_CLASSES = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class LengthClasses:
    """Per unit: its length class (uint8), and the classes a near copy of it can fall in
    (uint64, a bit per class; its own class among them)."""

    classes: np.ndarray
    near: np.ndarray


def _class_of(lengths: np.ndarray) -> np.ndarray:
    steps = np.log(np.maximum(lengths, 1.0) / _CLASS_FLOOR) / np.log(_CLASS_STEP)
    classes: np.ndarray = np.clip(np.floor(steps), 0, _CLASSES - 1).astype(np.uint8)
    return classes


def _computed_classes(lengths: np.ndarray, min_similarity: float) -> LengthClasses:
    lengths = lengths.astype(np.float64)
    classes = _class_of(lengths)
    if min_similarity <= 0:
        return LengthClasses(classes, np.full(len(lengths), _ALL_CLASSES, dtype=np.uint64))
    ratio = min_similarity / (2 - min_similarity)
    low = _class_of(np.ceil(lengths * ratio - 1e-6)).astype(np.uint64)
    high = _class_of(np.floor(lengths / ratio + 1e-6)).astype(np.uint64)
    near = (_ALL_CLASSES >> (np.uint64(_CLASSES - 1) - high)) & (_ALL_CLASSES << low)
    return LengthClasses(classes, near)


_TABLED = 4096  # lengths below this are looked up (a sentence or paragraph almost always)


@cache
def _class_table(min_similarity: float) -> LengthClasses:
    return _computed_classes(np.arange(_TABLED), min_similarity)


def length_classes(lengths: np.ndarray, min_similarity: float) -> LengthClasses:
    """The length classes of texts of these lengths, and of their possible near copies: an
    Indel similarity of s needs |a - b| <= (1 - s)(a + b), so a copy of a text of length a
    is s/(2 - s) to (2 - s)/s times as long. Class bounds are rounded outwards (the slack
    keeps float error from narrowing them)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    table = _class_table(min_similarity)
    at = np.minimum(lengths, _TABLED - 1)
    found = LengthClasses(table.classes[at], table.near[at])
    longer = np.flatnonzero(lengths >= _TABLED)
    if len(longer):
        computed = _computed_classes(lengths[longer], min_similarity)
        found.classes[longer], found.near[longer] = computed.classes, computed.near
    return found


class Units(NamedTuple):
    """A kind of unit the texts belong to: `of_text[i]` is text i's unit (non-decreasing),
    one of `size`. With `classes`, a window counts only when a unit whose length class a
    near copy can have holds it too (`length_classes`): a unit of the wrong length shares
    windows, never a near copy."""

    of_text: np.ndarray
    size: int
    classes: LengthClasses | None = None


def shared_windows(
    texts: Sequence[str], ngram: int, scopes: np.ndarray, units: Sequence[Units]
) -> list[np.ndarray]:
    """How many n-gram windows of each unit of text also occur in another unit of its scope.

    `texts` are laid end to end; `scopes[i]` is the scope (a document) of text i, and each
    of `units` maps texts to units (the text itself, the paragraph it is in). One rolling
    hash over all the text and one sort serve every kind of unit: windows of the same hash
    and scope whose first and last owner differ are shared. (In C when built: a hash table
    per scope, windows of up to three characters compared exactly.)
    Windows that straddle two texts, and hash collisions, can only raise a count, so a low
    count is proof that a unit has no near copy in its scope."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return shared_windows_of_joined("".join(texts), lengths, ngram, scopes, units)


def shared_windows_of_joined(
    joined: str,
    lengths: np.ndarray,
    ngram: int,
    scopes: np.ndarray,
    units: Sequence[Units],
) -> list[np.ndarray]:
    """`shared_windows` of texts already laid end to end (`lengths`: each one's length)."""
    sizes = [unit.size for unit in units]
    if native is not None:
        maps = [np.ascontiguousarray(unit.of_text, dtype=np.int64) for unit in units]
        classes = [
            None if u.classes is None else (u.classes.classes, u.classes.near) for u in units
        ]
        owners = np.ascontiguousarray(scopes, dtype=np.int64)
        lengths = np.ascontiguousarray(lengths, dtype=np.int64)
        counted = native.shared_windows(joined, lengths, ngram, owners, maps, sizes, classes)
        return [np.frombuffer(c, dtype=np.int64) for c in counted]
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    if len(points) < ngram:
        return [np.zeros(size, dtype=np.int64) for size in sizes]
    texts = len(lengths)
    hashes = _rolling(points, ngram).astype(np.uint64)
    owners = np.repeat(np.arange(texts, dtype=np.uint64), lengths)[: len(hashes)]
    ordered = np.sort((hashes << np.uint64(32)) | owners)
    keys = ordered >> np.uint64(32)
    # Only windows whose hash occurs more than once can be shared: keep those runs.
    repeated = keys[1:] == keys[:-1]
    in_run = np.concatenate(([False], repeated)) | np.concatenate((repeated, [False]))
    ordered, keys = ordered[in_run], keys[in_run]
    if len(ordered) == 0:
        return [np.zeros(size, dtype=np.int64) for size in sizes]
    owner = (ordered & np.uint64(0xFFFFFFFF)).astype(np.int64)
    scope = scopes[owner]
    new_run = np.concatenate(([True], (keys[1:] != keys[:-1]) | (scope[1:] != scope[:-1])))
    run_of = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    ends = np.append(starts[1:], len(ordered)) - 1
    counts = []
    for unit in units:
        of = unit.of_text[owner]  # sorted within a run, as owners are
        shared = (of[starts] != of[ends])[run_of]
        if unit.classes is not None:
            shared &= _near_in_length(of, new_run, run_of, unit.classes)
        counts.append(np.bincount(of[shared], minlength=unit.size))
    return counts


def _near_in_length(
    of: np.ndarray, new_run: np.ndarray, run_of: np.ndarray, classes: LengthClasses
) -> np.ndarray:
    """For each window of runs of windows (each run: one content, units in order), whether
    a unit other than its own, of a class near its own, holds the same content: as in C,
    from each run's classes held by a unit and those held by two or more."""
    runs = int(run_of[-1]) + 1
    bit = np.uint64(1) << classes.classes[of].astype(np.uint64)
    distinct = np.flatnonzero(new_run | np.concatenate(([True], of[1:] != of[:-1])))
    held = np.zeros(runs, dtype=np.uint64)
    np.bitwise_or.at(held, run_of[distinct], bit[distinct])
    pairs = np.sort(run_of[distinct] * _CLASSES + classes.classes[of[distinct]])
    doubled = pairs[1:][pairs[1:] == pairs[:-1]]
    twice = np.zeros(runs, dtype=np.uint64)
    np.bitwise_or.at(
        twice, doubled // _CLASSES, np.uint64(1) << (doubled % _CLASSES).astype(np.uint64)
    )
    near = classes.near[of]
    found: np.ndarray = ((held[run_of] & near & ~bit) | (twice[run_of] & bit)) != 0
    return found


def opening_windows(
    joined: str,
    starts: np.ndarray,
    lengths: np.ndarray,
    earlier: np.ndarray,
    later: np.ndarray,
    ngram: int,
    anywhere: bool = False,
    at_least: np.ndarray | None = None,
) -> np.ndarray:
    """For each pair of texts (text t is `joined[starts[t] : starts[t] + lengths[t]]`): how
    many n-gram windows of the earlier text occur among the windows of the later one's
    opening, its first as many characters as the earlier has (or of all of it, `anywhere`).
    What `may_be_near` needs to tell whether the later text can open with (or hold) a near
    copy of the earlier one. With `at_least` (per pair), a count is exact where it reaches
    that and may be any higher value below it elsewhere, which lets C settle most pairs with
    a bit filter. (In C when built; numpy's 32-bit hash may collide, which can only raise a
    count.)"""
    starts, lengths = np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    earlier, later = np.asarray(earlier, dtype=np.int64), np.asarray(later, dtype=np.int64)
    if native is not None:
        bound = None if at_least is None else np.ascontiguousarray(at_least, dtype=np.int64)
        counted = native.opening_windows(
            joined, starts, lengths, earlier, later, ngram, anywhere, bound
        )
        return np.frombuffer(counted, dtype=np.int64)
    size = lengths[earlier]
    own = size - ngram + 1
    theirs = (lengths[later] if anywhere else np.minimum(size, lengths[later])) - ngram + 1
    own, theirs = np.where(theirs > 0, np.maximum(own, 0), 0), np.maximum(theirs, 0)
    if own.sum() == 0:
        return np.zeros(len(earlier), dtype=np.int64)
    hashes = _rolling(np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32), ngram)

    def keyed(first: np.ndarray, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pair = np.repeat(np.arange(len(windows)), windows)
        offset = np.arange(len(pair)) - np.repeat(np.cumsum(windows) - windows, windows)
        found = hashes[np.repeat(first, windows) + offset].astype(np.uint64)
        return pair, (pair.astype(np.uint64) << np.uint64(32)) | found

    pair, own_keys = keyed(starts[earlier], own)
    _, their_keys = keyed(starts[later], theirs)
    counts: np.ndarray = np.bincount(pair[np.isin(own_keys, their_keys)], minlength=len(earlier))
    return counts


def may_hold(short: str, long: str, min_similarity: float, ngram: int) -> bool:
    """Whether `containment(short, long)` can reach `min_similarity`: the best alignment is
    a piece of `long` no longer than `short` and that near to it, so (as in `may_be_near`)
    enough of `short`'s windows must occur somewhere in `long`."""
    size = len(short)
    needed = fewest_intact_of_one(size, min_similarity, ngram)
    found = opening_windows(
        short + long,
        np.array([0, size], dtype=np.int64),
        np.array([size, len(long)], dtype=np.int64),
        _FIRST,
        _SECOND,
        ngram,
        anywhere=True,
        at_least=np.array([needed], dtype=np.int64),
    )
    return int(found[0]) >= needed


def fewest_intact(lengths: T, min_similarity: float, ngram: int) -> T:
    """The windows (at least one) a near copy at `min_similarity` (normalised Indel) leaves
    intact, of a text of each length. The copy is at most (2 - s) / s times as long, so the
    Indel distance is at most 2 (1 - s) / s of the length, and each inserted or deleted
    character breaks at most `ngram` windows."""
    # The distance is a whole number; the small slack keeps float error from rounding it down.
    edits = np.floor(2 * lengths * (1 - min_similarity) / min_similarity + 1e-6)
    intact: T = np.maximum(lengths - ngram + 1 - ngram * edits, 1)
    return intact


def fewest_intact_of_one(length: int, min_similarity: float, ngram: int) -> int:
    """`fewest_intact` of one length, in plain floats (numpy's scalar calls cost more than the
    count they decide; a test holds the two equal)."""
    edits = math.floor(2 * length * (1 - min_similarity) / min_similarity + 1e-6)
    return max(length - ngram + 1 - ngram * edits, 1)


@cache
def _fewest_intact_table(min_similarity: float, ngram: int) -> np.ndarray:
    return fewest_intact(np.arange(_TABLED), min_similarity, ngram)


def fewest_intact_of_many(lengths: np.ndarray, min_similarity: float, ngram: int) -> np.ndarray:
    """`fewest_intact` of an array of lengths, looked up below `_TABLED`: one gather, where
    the formula takes seven passes over the batch's 150,000 sentences and paragraphs."""
    table = _fewest_intact_table(min_similarity, ngram)
    fewest: np.ndarray = table[np.minimum(lengths, _TABLED - 1)]
    longer = np.flatnonzero(lengths >= _TABLED)
    if len(longer):
        fewest[longer] = fewest_intact(lengths[longer], min_similarity, ngram)
    return fewest


def may_be_near(
    lengths: np.ndarray, shared: np.ndarray, min_similarity: float, ngram: int, min_chars: int
) -> np.ndarray:
    """Which texts can have a near copy at `min_similarity`: long enough, and with at least
    the windows such a copy leaves intact (`fewest_intact`)."""
    fewest = fewest_intact_of_many(lengths, min_similarity, ngram)
    hopeful: np.ndarray = (lengths >= min_chars) & (shared >= fewest)
    return hopeful


def may_repeat(lengths: np.ndarray, shared: np.ndarray, ngram: int) -> np.ndarray:
    """Which texts can have an exact copy: every window that lies wholly inside a copied text
    also lies in its copy, so all of them are shared (a text shorter than one window has
    none, and may)."""
    repeatable: np.ndarray = shared >= lengths - ngram + 1
    return repeatable


@dataclass(frozen=True)
class Screened:
    """Per group of texts: the positions that may have a near copy in their group (the only
    ones worth signing), and those that may have an exact copy (the only ones worth
    hashing). Both come from the same count of shared windows."""

    near: list[list[int]]
    exact: list[list[int]]


def screen(groups: Sequence[Sequence[str]], search: NearSearch) -> Screened:
    """`may_be_near` and `may_repeat` of every text, counted within its group among the
    texts of a length a near copy can have."""
    texts = [text for group in groups for text in group]
    sizes = [len(group) for group in groups]
    scopes = np.repeat(np.arange(len(groups)), sizes)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    classes = length_classes(lengths, search.min_similarity)
    (shared,) = shared_windows(
        texts, search.ngram, scopes, [Units(np.arange(len(texts)), len(texts), classes)]
    )
    hopeful = may_be_near(lengths, shared, search.min_similarity, search.ngram, search.min_chars)
    repeatable = may_repeat(lengths, shared, search.ngram)
    bounds = np.cumsum([0, *sizes]).tolist()
    return Screened(
        [np.flatnonzero(hopeful[a:b]).tolist() for a, b in pairwise(bounds)],
        [np.flatnonzero(repeatable[a:b]).tolist() for a, b in pairwise(bounds)],
    )


def near_candidates(groups: Sequence[Sequence[str]], search: NearSearch) -> list[list[int]]:
    """Per group, the positions of texts that `may_be_near` another text of their group."""
    return screen(groups, search).near


@dataclass(frozen=True)
class Pieces:
    """Texts as pieces of one string, each in a group: text i is
    `text[starts[i] : starts[i] + lengths[i]]`, in group `groups[i]`; a group's texts come in
    their order (its others may lie between). What a batch pass hands over instead of a
    hundred thousand strings, of which it reads a few."""

    text: str
    starts: np.ndarray
    lengths: np.ndarray
    groups: np.ndarray

    @classmethod
    def of_groups(cls, groups: Sequence[Sequence[str]]) -> Pieces:
        texts = [text for group in groups for text in group]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        sizes = [len(group) for group in groups]
        owners = np.repeat(np.arange(len(groups), dtype=np.int64), sizes)
        return cls("".join(texts), np.cumsum(lengths) - lengths, lengths, owners)

    def pick(self, at: Sequence[int]) -> list[str]:
        text, starts, ends = self.text, self.starts, self.starts + self.lengths
        return [text[starts[i] : ends[i]] for i in at]


def first_identical(
    text: str, starts: np.ndarray, lengths: np.ndarray, keys: np.ndarray
) -> np.ndarray:
    """For each piece `text[starts[i] : starts[i] + lengths[i]]`, the first piece with the same
    key and the same characters (its index; its own if none). In C when built: a hash table
    of the pieces, compared in full on equal hashes, with no string cut out."""
    starts, lengths = np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    if native is not None:
        return np.frombuffer(native.first_identical(text, starts, lengths, keys), dtype=np.int64)
    first: dict[tuple[int, str], int] = {}
    ends = starts + lengths
    found = [
        first.setdefault((key, text[a:b]), i)
        for i, (key, a, b) in enumerate(
            zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True)
        )
    ]
    return np.array(found, dtype=np.int64)


def first_copies(
    groups: Sequence[Sequence[str]], search: NearSearch, screened: Screened | None = None
) -> list[list[int]]:
    """For each text of each group, the position (in its group) of its first earlier copy in
    the same group: exact, or a near copy verified among the LSH candidates; -1 if none.
    Chains resolve to the first copy. Only the texts `screened` lets through (by default
    `screen`: in clean copy, few) are hashed for exact copies and signed for near ones."""
    screened = screened or screen(groups, search)
    pieces = Pieces.of_groups(groups)
    sizes = [len(group) for group in groups]
    bounds = np.cumsum([0, *sizes])
    near, exact = np.zeros(len(pieces.lengths), bool), np.zeros(len(pieces.lengths), bool)
    for number, (low, high) in enumerate(pairwise(bounds.tolist())):
        near[low:high][screened.near[number]] = True
        exact[low:high][screened.exact[number]] = True
    roots = first_copies_of(pieces, near, exact, search)
    local = np.where(roots >= 0, roots - bounds[:-1][pieces.groups], -1).tolist()
    return [local[low:high] for low, high in pairwise(bounds.tolist())]


def first_copies_of(
    pieces: Pieces, near: np.ndarray, exact: np.ndarray, search: NearSearch
) -> np.ndarray:
    """For each piece, the index of its first earlier copy in its group (-1: none): an exact
    copy among those `exact` marks (the screen's `may_repeat`), else a near one verified
    among the LSH candidates of those `near` marks (`may_be_near`). Chains resolve to the
    first copy; all groups share one hashing pass and one signature pass, and a text is
    signed once however often it occurs."""
    roots = np.full(len(pieces.lengths), -1, dtype=np.int64)
    hashed = np.flatnonzero(exact)
    firsts = hashed[
        first_identical(
            pieces.text, pieces.starts[hashed], pieces.lengths[hashed], pieces.groups[hashed]
        )
    ]
    copied = firsts != hashed
    later, earlier = hashed[copied], firsts[copied]
    roots[later] = earlier
    pending = np.flatnonzero(near & (roots < 0))  # an exact copy has its root already
    if len(pending) >= 2:
        _verify_near(pieces, pending, roots, search)
    rooted = roots[earlier] >= 0  # exact copies of a near copy share its root
    roots[later[rooted]] = roots[earlier[rooted]]
    return roots


def _verify_near(
    pieces: Pieces, pending: np.ndarray, roots: np.ndarray, search: NearSearch
) -> None:
    """Root each pending piece at its most similar earlier piece among its LSH candidates
    (the first at a tie), if any is similar enough."""
    starts, lengths = pieces.starts[pending], pieces.lengths[pending]
    same = first_identical(pieces.text, starts, lengths, np.zeros(len(pending), dtype=np.int64))
    distinct = np.flatnonzero(same == np.arange(len(pending)))
    signatures = signer(search.num_perm, search.ngram).span_signatures(
        pieces.text, starts[distinct], lengths[distinct]
    )
    bands, rows = lsh_params(search.threshold, search.num_perm)
    candidates = band_candidates(
        signatures[np.searchsorted(distinct, same)], bands, rows, pieces.groups[pending]
    )
    before = candidates < np.arange(len(pending))[:, None]
    checked = np.flatnonzero(before.any(axis=1)).tolist()
    found = [sorted(set(candidates[row][before[row]].tolist())) for row in checked]
    wanted = sorted({*checked, *(c for near in found for c in near[: search.max_candidates])})
    texts = dict(zip(wanted, pieces.pick(pending[wanted].tolist()), strict=True))
    at = pending.tolist()
    for row, near in zip(checked, found, strict=True):
        text = texts[row]
        best, best_score = -1, search.min_similarity
        for candidate in near[: search.max_candidates]:
            earlier = at[candidate]
            score = similarity(text, texts[candidate])
            if score >= best_score and (best < 0 or score > best_score or earlier < best):
                best, best_score = earlier, score
        if best >= 0:
            roots[at[row]] = roots[best] if roots[best] >= 0 else best
