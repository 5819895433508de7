"""Vocabulary statistics: character-bigram TF-IDF vectors and how news-like a text reads.

Both rest on `data/news_bigrams.txt`, the document frequency of Han bigrams in clean news copy
(built by scripts/build_news_bigrams.py). No external model is involved.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True, eq=False)
class BigramTable:
    documents: int
    frequency: dict[str, int]  # articles using the bigram
    occurrences: dict[str, int]
    sentence_starts: dict[str, int]  # occurrences that open a sentence

    def idf(self, bigram: str) -> float:
        return _idf_map(self).get(bigram, _unknown_idf(self))

    def follows(self, first: str, second: str) -> float:
        """P(second | first): how often `first` is followed by `second` inside news text."""
        total = _following_totals(self).get(first, 0)
        return self.occurrences.get(first + second, 0) / total if total else 0.0

    def opens_with(self, char: str) -> float:
        """P(char): the share of sentences in news copy that open with `char`."""
        starts = _sentence_start_chars(self)
        return starts.get(char, 0) / max(sum(starts.values()), 1)

    def start_ratio(self, bigram: str) -> float | None:
        """How often the bigram opens a sentence when it occurs; None if it is not known."""
        total = self.occurrences.get(bigram)
        return self.sentence_starts[bigram] / total if total else None


@cache
def _unknown_idf(table: BigramTable) -> float:
    return math.log(table.documents + 1) + 1.0


@cache
def _idf_map(table: BigramTable) -> dict[str, float]:
    return {
        bigram: math.log((table.documents + 1) / (df + 1)) + 1.0
        for bigram, df in table.frequency.items()
    }


@cache
def _following_totals(table: BigramTable) -> dict[str, int]:
    totals: dict[str, int] = {}
    for bigram, count in table.occurrences.items():
        totals[bigram[0]] = totals.get(bigram[0], 0) + count
    return totals


@cache
def _sentence_start_chars(table: BigramTable) -> dict[str, int]:
    starts: dict[str, int] = {}
    for bigram, count in table.sentence_starts.items():
        starts[bigram[0]] = starts.get(bigram[0], 0) + count
    return starts


@cache
def news_bigrams() -> BigramTable:
    data = resources.files("qc").joinpath("data/news_bigrams.txt").read_text(encoding="utf-8")
    documents = 0
    frequency: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    starts: dict[str, int] = {}
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        key, *values = line.split("\t")
        if key == "documents":
            documents = int(values[0])
            continue
        frequency[key], occurrences[key], starts[key] = (int(v) for v in values)
    return BigramTable(documents, frequency, occurrences, starts)


def bigrams(text: str) -> list[str]:
    return [run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)]


def bigram_counts(text: str) -> tuple[int, int]:
    """How many Han bigrams `text` has, and how many of them clean news copy uses. Pairs of
    characters are looked up in C (map); pairs that are not two Han characters are never in
    the table, so they count only through the total, taken from the Han runs."""
    total = sum(len(run) - 1 for run in _HAN_RUN.findall(text))
    if total == 0:
        return 0, 0
    known = sum(map(news_bigrams().frequency.__contains__, map(operator.add, text, text[1:])))
    return total, known


def news_share(grams: list[str]) -> float | None:
    """Share of bigrams that clean news copy uses; None when there are none to judge by."""
    if not grams:
        return None
    table = news_bigrams().frequency
    return sum(g in table for g in grams) / len(grams)


Vector = dict[str, float]


def tfidf(grams: Iterable[str]) -> Vector:
    table = news_bigrams()
    idf, unknown = _idf_map(table), _unknown_idf(table)
    return {g: n * idf.get(g, unknown) for g, n in Counter(grams).items()}


def add(vectors: Iterable[Vector]) -> Vector:
    total: dict[str, float] = {}
    for vector in vectors:
        for key, value in vector.items():
            total[key] = total.get(key, 0.0) + value
    return total


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(key, 0.0) for key, value in a.items())


def norm2(a: Vector) -> float:
    return sum(v * v for v in a.values())


@dataclass(frozen=True)
class Whole:
    """A sum of vectors and its squared norm, so that the cosine of any part against the rest
    is computed from dot products alone, without building the rest."""

    vector: Vector
    norm2: float

    @classmethod
    def of(cls, vectors: Iterable[Vector]) -> Whole:
        total = add(vectors)
        return cls(total, norm2(total))

    def cosine_to_rest(self, part: Vector, part_in_whole: bool = True) -> float:
        """Cosine between `part` and the whole without it (`part` must have been added in,
        unless `part_in_whole` is false)."""
        part_norm2 = norm2(part)
        shared = dot(part, self.vector)
        if part_in_whole:
            shared -= part_norm2
            rest_norm2 = self.norm2 - 2 * (shared + part_norm2) + part_norm2
        else:
            rest_norm2 = self.norm2
        if part_norm2 <= 0 or rest_norm2 <= 1e-9:
            return 0.0
        return max(0.0, shared) / math.sqrt(part_norm2 * rest_norm2)
