"""Vocabulary statistics: character-bigram TF-IDF vectors and how news-like a text reads.

Both rest on `data/news_bigrams.txt`, the document frequency of Han bigrams in clean news copy
(built by scripts/build_news_bigrams.py). No external model is involved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import numpy as np

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass(frozen=True, eq=False)
class BigramTable:
    documents: int
    frequency: dict[str, int]  # articles using the bigram
    occurrences: dict[str, int]
    sentence_starts: dict[str, int]  # occurrences that open a sentence

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


def _by_first_char(counts: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for bigram, count in counts.items():
        totals[bigram[0]] = totals.get(bigram[0], 0) + count
    return totals


@cache
def _following_totals(table: BigramTable) -> dict[str, int]:
    """How often each character is followed by another (Han) one in news text."""
    return _by_first_char(table.occurrences)


@cache
def _sentence_start_chars(table: BigramTable) -> dict[str, int]:
    """How often each character opens a sentence in news text."""
    return _by_first_char(table.sentence_starts)


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


def _bigram_id(bigram: str) -> int:
    return (ord(bigram[0]) << 16) | ord(bigram[1])


@cache
def _idf_arrays(table: BigramTable) -> tuple[np.ndarray, np.ndarray]:
    """Known bigram ids (sorted) and their IDF, for vectorised look-ups."""
    idf = _idf_map(table)
    ids = np.array([_bigram_id(b) for b in idf], dtype=np.int64)
    values = np.array(list(idf.values()), dtype=np.float64)
    order = np.argsort(ids)
    return ids[order], values[order]


def han_bigrams(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every Han bigram of every text, as (index of the text, bigram id), in one numpy pass."""
    points = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    points = points.astype(np.int64)
    han = (points >= 0x4E00) & (points <= 0x9FFF)
    at = np.flatnonzero(han[:-1] & han[1:])  # a newline separates texts: no pair spans two
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    rows = np.searchsorted(starts, at, side="right") - 1
    return rows, (points[at] << 16) | points[at + 1]


def news_counts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text: how many Han bigrams it has, and how many of them clean news copy uses."""
    rows, ids = han_bigrams(texts)
    known, _ = _idf_arrays(news_bigrams())
    found = np.minimum(np.searchsorted(known, ids), len(known) - 1)
    is_known = known[found] == ids
    totals = np.bincount(rows, minlength=len(texts))
    knowns = np.bincount(rows[is_known], minlength=len(texts))
    return totals, knowns


@dataclass(frozen=True)
class ParagraphVectors:
    """TF-IDF vectors of a document's paragraphs over Han bigrams, as sparse triplets
    (paragraph, bigram column, weight), so sums and dot products are single numpy calls."""

    rows: np.ndarray
    columns: np.ndarray
    weights: np.ndarray
    paragraphs: int
    vocabulary: int

    @classmethod
    def of(cls, texts: Sequence[str]) -> ParagraphVectors:
        rows_of_pairs, ids = han_bigrams(texts)
        vocabulary, columns_of_pairs = np.unique(ids, return_inverse=True)
        cells, counts = np.unique(
            rows_of_pairs * len(vocabulary) + columns_of_pairs, return_counts=True
        )
        rows, columns = np.divmod(cells, max(len(vocabulary), 1))
        table = news_bigrams()
        known, idf = _idf_arrays(table)
        found = np.minimum(np.searchsorted(known, vocabulary), len(known) - 1)
        column_idf = np.where(known[found] == vocabulary, idf[found], _unknown_idf(table))
        weights = counts * column_idf[columns]
        return cls(rows, columns, weights, len(texts), len(vocabulary))

    def total(self, chosen: np.ndarray) -> np.ndarray:
        """The sum of the chosen paragraphs' vectors (`chosen`: a mask over paragraphs)."""
        keep = chosen[self.rows]
        summed: np.ndarray = np.bincount(
            self.columns[keep], weights=self.weights[keep], minlength=self.vocabulary
        )
        return summed

    def dots(self, vector: np.ndarray) -> np.ndarray:
        """Each paragraph's dot product with a dense vector."""
        products = self.weights * vector[self.columns]
        out: np.ndarray = np.bincount(self.rows, weights=products, minlength=self.paragraphs)
        return out

    @cached_property
    def norms2(self) -> np.ndarray:
        out: np.ndarray = np.bincount(self.rows, weights=self.weights**2, minlength=self.paragraphs)
        return out


def cosine_to_rest(shared: float, part2: float, whole2: float, part_in_whole: bool) -> float:
    """Cosine between a part and a whole without it, from <part, whole>, |part|² and |whole|².
    With `part_in_whole` false, the part was never added in and the whole is the rest."""
    if part_in_whole:
        rest2 = whole2 - 2 * shared + part2
        shared -= part2
    else:
        rest2 = whole2
    if part2 <= 0 or rest2 <= 1e-9:
        return 0.0
    return max(0.0, shared) / math.sqrt(part2 * rest2)
