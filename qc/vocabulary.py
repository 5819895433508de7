"""Vocabulary statistics: character-bigram TF-IDF vectors and how news-like a text reads.

Both rest on `data/news_bigrams.txt`, the document frequency of Han bigrams in clean news copy
(built by scripts/build_news_bigrams.py). No external model is involved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import pairwise

import numpy as np

from qc.native import native
from qc.text import Joined

_HAN_FIRST, _HAN_LAST = 0x4E00, 0x9FFF
_HAN_SIZE = _HAN_LAST - _HAN_FIRST + 1


@dataclass(frozen=True, eq=False)
class BigramTable:
    """The counts of `data/news_bigrams.txt` as arrays, one row per bigram in file order (every
    bigram is two Han characters: the builder keeps no other). Arrays, not dicts: the table is
    read whole at start-up, and 32,000 rows cost ~5 ms this way against ~70 ms as dicts."""

    documents: int
    bigrams: list[str]
    first: np.ndarray  # code point of each bigram's first character (int64)
    second: np.ndarray
    frequency: np.ndarray  # articles using the bigram
    occurrences: np.ndarray
    sentence_starts: np.ndarray  # occurrences that open a sentence

    def knows(self, bigram: str) -> bool:
        return bigram in self._rows

    def follows(self, first: str, second: str) -> float:
        """P(second | first): how often `first` is followed by `second` inside news text."""
        total = self._following_totals[_han_offset(first)] if _is_han(first) else 0
        row = self._rows.get(first + second)
        return self._occurrences[row] / total if total and row is not None else 0.0

    def opens_with(self, char: str) -> float:
        """P(char): the share of sentences in news copy that open with `char`."""
        starts = self._start_totals[_han_offset(char)] if _is_han(char) else 0
        return starts / max(self._sentences, 1)

    def start_ratio(self, bigram: str) -> float | None:
        """How often the bigram opens a sentence when it occurs; None if it is not known."""
        row = self._rows.get(bigram)
        total = self._occurrences[row] if row is not None else 0
        return self._sentence_starts[row] / total if row is not None and total else None

    # Scalar look-ups (the layout detector's, a few per break) read Python lists and a dict,
    # built on first use: indexing numpy arrays one item at a time is slower.
    @cached_property
    def _rows(self) -> dict[str, int]:
        return dict(zip(self.bigrams, range(len(self.bigrams)), strict=True))

    @cached_property
    def _occurrences(self) -> list[int]:
        return self.occurrences.tolist()  # type: ignore[no-any-return]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return self.sentence_starts.tolist()  # type: ignore[no-any-return]

    @cached_property
    def _following_totals(self) -> list[int]:
        """How often each Han character is followed by another (Han) one in news text."""
        return _by_first_char(self.first, self.occurrences)

    @cached_property
    def _start_totals(self) -> list[int]:
        """How often each Han character opens a sentence in news text."""
        return _by_first_char(self.first, self.sentence_starts)

    @cached_property
    def _sentences(self) -> int:
        return int(self.sentence_starts.sum())


def _is_han(char: str) -> bool:
    return _HAN_FIRST <= ord(char) <= _HAN_LAST


def _han_offset(char: str) -> int:
    return ord(char) - _HAN_FIRST


def _by_first_char(first: np.ndarray, counts: np.ndarray) -> list[int]:
    """Counts summed by first character, indexed by its offset in the Han block."""
    totals = np.bincount(first - _HAN_FIRST, weights=counts, minlength=_HAN_SIZE)
    return totals.astype(np.int64).tolist()  # type: ignore[no-any-return]  # exact: < 2**53


def _unknown_idf(table: BigramTable) -> float:
    return math.log(table.documents + 1) + 1.0


@cache
def news_bigrams() -> BigramTable:
    data = resources.files("qc").joinpath("data/news_bigrams.txt").read_text(encoding="utf-8")
    return parse_bigram_table(data)


def parse_bigram_table(data: str) -> BigramTable:
    """The table from the text of `data/news_bigrams.txt` (see scripts/build_news_bigrams.py):
    `#` comments, a `documents<TAB>N` line, then `bigram<TAB>df<TAB>count<TAB>starts` rows.
    The rows are split in one pass over their joined text: no Python loop per row."""
    rows = [line for line in data.splitlines() if line and line[0] != "#"]
    if not rows or not rows[0].startswith("documents\t"):
        raise ValueError("the bigram table must open with a 'documents' line")
    documents = int(rows[0].split("\t")[1])
    body = rows[1:]
    cells = "\t".join(body).split("\t") if body else []
    if len(cells) != 4 * len(body):
        raise ValueError("every row of the bigram table needs four columns")
    bigrams = cells[0::4]
    points = np.frombuffer("".join(bigrams).encode("utf-32-le"), dtype=np.uint32)
    pairs = points.astype(np.int64).reshape(-1, 2) if len(points) == 2 * len(bigrams) else None
    if pairs is None or ((pairs < _HAN_FIRST) | (pairs > _HAN_LAST)).any():
        raise ValueError("every bigram of the table must be two Han characters")
    counts = [np.array(cells[column::4], dtype=np.int64) for column in (1, 2, 3)]
    return BigramTable(documents, bigrams, pairs[:, 0].copy(), pairs[:, 1].copy(), *counts)


@dataclass(frozen=True, eq=False)
class _DenseIndex:
    """Known bigrams two ways. Whether a bigram is known is one bit of a matrix over the
    characters that occur in them (~2,500; 0.75 MB, small enough to stay in cache): `ranks`
    gives each Han character its row and column (0: in no known bigram), most used first.
    Its idf is found by binary search in `bigrams`, the known bigrams' ids (first << 16 |
    second) ascending, with `idf` in the same order (in C, by counting the known cells before
    its own: `ranked`); a dense matrix of positions would be 12 MB, a cache miss a look-up."""

    ranks: np.ndarray
    width: int
    known_bits: np.ndarray
    bigrams: np.ndarray
    idf: np.ndarray

    def known(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Whether each (first, second) Han bigram is known."""
        at = self.ranks[first - _HAN_FIRST] * self.width + self.ranks[second - _HAN_FIRST]
        found: np.ndarray = (self.known_bits[at >> 3] >> (at & 7).astype(np.uint8)) & 1
        return found.astype(bool)

    @cached_property
    def ranked(self) -> tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The known bigrams for the C look-up, by their cell of the matrix: `ranks`,
        `width`, the matrix in 64-bit words, the number of known cells before each word,
        and per known cell in cell order the index of its idf among the distinct idfs
        (then a spare index, one past them), and those idfs. A known bigram's idf is then
        found by counting the known cells before its own."""
        cells = self.ranks[(self.bigrams >> 16) - _HAN_FIRST].astype(np.int64) * self.width
        cells += self.ranks[(self.bigrams & 0xFFFF) - _HAN_FIRST]
        idfs, index = np.unique(self.idf[np.argsort(cells)], return_inverse=True)
        padded = np.zeros(-(-len(self.known_bits) // 8) * 8, dtype=np.uint8)
        padded[: len(self.known_bits)] = self.known_bits
        words = padded.view("<u8").astype(np.uint64)
        per_word = np.unpackbits(padded).reshape(-1, 64).sum(axis=1)
        before = (np.cumsum(per_word) - per_word).astype(np.uint32)
        index = np.append(index, len(idfs)).astype(np.uint32)
        return self.ranks, self.width, words, before, index, idfs

    def idf_of(self, ids: np.ndarray, unknown: float) -> np.ndarray:
        """The idf of each bigram id (first << 16 | second); `unknown` for unknown ones."""
        at = np.minimum(np.searchsorted(self.bigrams, ids), max(len(self.bigrams) - 1, 0))
        found = self.bigrams[at] == ids if len(self.bigrams) else np.zeros(len(ids), dtype=bool)
        out: np.ndarray = np.where(found, self.idf[at] if len(self.idf) else 0.0, unknown)
        return out


@cache
def _dense_index(table: BigramTable) -> _DenseIndex:
    # Most frequent characters first: the bigrams news copy uses most then share a small
    # corner of the matrix, which stays in the CPU caches (ranks only index the matrix).
    both = np.concatenate([table.first, table.second]) - _HAN_FIRST
    uses = np.bincount(both, weights=np.tile(table.occurrences, 2), minlength=_HAN_SIZE)
    present = np.flatnonzero(np.bincount(both, minlength=_HAN_SIZE))
    chars = present[np.lexsort((present, -uses[present]))]  # by (-uses, char)
    ranks = np.zeros(_HAN_SIZE, dtype=np.int32)
    ranks[chars] = np.arange(1, len(chars) + 1)
    width = len(chars) + 1
    first = ranks[table.first - _HAN_FIRST].astype(np.int64)
    second = ranks[table.second - _HAN_FIRST].astype(np.int64)
    known = np.zeros(width * width, dtype=bool)
    known[first * width + second] = True
    ids = ((table.first << 16) | table.second).astype(np.uint32)
    order = np.argsort(ids)
    # math.log, not np.log: numpy's vectorised log may differ in the last bit, and the
    # weights must not move with the numpy build.
    documents = table.documents + 1
    idf = [math.log(documents / (df + 1)) + 1.0 for df in table.frequency.tolist()]
    idf_values = np.array(idf, dtype=np.float64)
    return _DenseIndex(
        ranks, width, np.packbits(known, bitorder="little"), ids[order], idf_values[order]
    )


@cache
def native_vocabulary(
    table: BigramTable,
) -> tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the C passes look idfs up in: `_DenseIndex.ranked`, the spare index's idf (one
    past the distinct ones) being that of bigrams that are not known."""
    ranks, width, words, before, index, idfs = _dense_index(table).ranked
    return ranks, width, words, before, index, np.append(idfs, _unknown_idf(table))


def han_pairs(texts: Joined) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every Han bigram of every text as (index of the text, first, second code point), in
    one numpy pass: the numpy path's counts and vectors (the C passes find pairs themselves)."""
    points = np.frombuffer(texts.text.encode("utf-32-le"), dtype=np.uint32)
    han = (points - np.uint32(_HAN_FIRST)) <= np.uint32(_HAN_LAST - _HAN_FIRST)
    at = np.flatnonzero(han[:-1] & han[1:])  # a newline separates texts: no pair spans two
    rows = np.repeat(np.arange(len(texts.lengths)), texts.lengths + 1)[at]
    return rows, points[at].astype(np.int64), points[at + 1].astype(np.int64)


def news_counts(texts: Joined) -> tuple[np.ndarray, np.ndarray]:
    """Per text: how many Han bigrams it has, and how many of them clean news copy uses."""
    index = _dense_index(news_bigrams())
    if native is not None:
        counted = native.news_counts(
            texts.text, texts.lengths, index.ranks, index.width, index.known_bits
        )
        return np.frombuffer(counted[0], dtype=np.int64), np.frombuffer(counted[1], dtype=np.int64)
    rows, first, second = han_pairs(texts)
    count = len(texts.lengths)
    is_known = index.known(first, second)
    totals = np.bincount(rows, minlength=count)
    knowns = np.bincount(rows[is_known], minlength=count)
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
        return cls.of_documents([texts])[0]

    @classmethod
    def of_documents(cls, documents: Sequence[Sequence[str]]) -> list[ParagraphVectors]:
        """Each document's vectors (its paragraph texts given), built for all at once: the
        vocabulary is sorted by (document, bigram), so each document's columns are a
        contiguous range, numbered as if it had been built alone. (In C when built: two radix
        sorts per document.)"""
        texts = [text for paragraphs in documents for text in paragraphs]
        if native is not None:
            return cls._of_documents_in_c(texts, [len(paragraphs) for paragraphs in documents])
        sizes = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        rows_of_pairs, first, second = han_pairs(Joined.of(texts))
        owner = np.repeat(np.arange(len(documents), dtype=np.int64), sizes)
        ids = (owner[rows_of_pairs] << 32) | (first << 16) | second
        vocabulary, columns_of_pairs = np.unique(ids, return_inverse=True)
        width = max(len(vocabulary), 1)
        cells, counts = np.unique(rows_of_pairs * width + columns_of_pairs, return_counts=True)
        rows, columns = np.divmod(cells, width)
        table = news_bigrams()
        column_idf = _dense_index(table).idf_of(vocabulary & 0xFFFFFFFF, _unknown_idf(table))
        weights = counts * column_idf[columns]
        first_row = np.cumsum(sizes) - sizes
        row_cut = np.searchsorted(rows, np.append(first_row, len(texts))).tolist()
        column_cut = np.searchsorted(vocabulary >> 32, np.arange(len(documents) + 1)).tolist()
        out = []
        for number in range(len(documents)):
            a, b = row_cut[number], row_cut[number + 1]
            low, high = column_cut[number], column_cut[number + 1]
            out.append(
                cls(
                    rows[a:b] - first_row[number],
                    columns[a:b] - low,
                    weights[a:b],
                    int(sizes[number]),
                    high - low,
                )
            )
        return out

    @classmethod
    def _of_documents_in_c(cls, texts: list[str], sizes: list[int]) -> list[ParagraphVectors]:
        assert native is not None
        built = native.vectors(texts, sizes, native_vocabulary(news_bigrams()))
        return [
            cls(
                np.frombuffer(rows, dtype=np.int64),
                np.frombuffer(columns, dtype=np.int64),
                np.frombuffer(weights, dtype=np.float64),
                size,
                vocabulary,
            )
            for (rows, columns, weights, vocabulary), size in zip(built, sizes, strict=True)
        ]

    def total(self, chosen: np.ndarray) -> np.ndarray:
        """The sum of the chosen paragraphs' vectors (`chosen`: a mask over paragraphs)."""
        keep = chosen[self.rows]
        summed: np.ndarray = np.bincount(
            self.columns[keep], weights=self.weights[keep], minlength=self.vocabulary
        )
        return summed

    def range_total(self, first: int, last: int) -> np.ndarray:
        """`total` of paragraphs first..last: triplets are sorted by paragraph, so theirs are
        one slice, summed in the same order as `total` sums them."""
        low, high = np.searchsorted(self.rows, [first, last + 1]).tolist()
        summed: np.ndarray = np.bincount(
            self.columns[low:high], weights=self.weights[low:high], minlength=self.vocabulary
        )
        return summed

    def dots(self, vector: np.ndarray) -> np.ndarray:
        """Each paragraph's dot product with a dense vector."""
        products = self.weights * vector[self.columns]
        out: np.ndarray = np.bincount(self.rows, weights=products, minlength=self.paragraphs)
        return out

    @property
    def norms2(self) -> np.ndarray:
        out: np.ndarray = np.bincount(self.rows, weights=self.weights**2, minlength=self.paragraphs)
        return out

    def topic(self, outside: np.ndarray) -> Topic:
        """The document's topic: the article is every paragraph not `outside` (a mask)."""
        if native is not None:
            cosines, document, document2 = native.topic(
                self.rows,
                self.columns,
                self.weights,
                self.paragraphs,
                self.vocabulary,
                np.ascontiguousarray(outside, dtype=np.bool_),
            )
            return Topic(
                self,
                np.frombuffer(cosines, dtype=np.float64),
                np.frombuffer(document, dtype=np.float64),
                document2,
            )
        article = self.total(~outside)
        # Each line against the article without itself, or every line would vouch for
        # itself (a line outside was never in the article).
        line_cosines = np.array(
            cosines_to_rest(self.dots(article), self.norms2, dot(article, article), ~outside)
        )
        document = self.total(np.ones(self.paragraphs, dtype=bool))
        return Topic(self, line_cosines, document, dot(document, document))


@dataclass(frozen=True)
class Topic:
    """A document's TF-IDF topic, for telling off-topic lines: each paragraph's cosine to the
    article without itself, and the whole document's vector to weigh blocks against. In C
    when built (one call a document instead of a dozen array operations), with the same
    float operations in the same order."""

    vectors: ParagraphVectors
    line_cosines: np.ndarray
    document: np.ndarray
    document2: float

    def block_to_rest(self, first: int, last: int) -> float:
        """Paragraphs first..last against the rest of the document."""
        v = self.vectors
        if native is not None:
            cosine: float = native.block_cosine(
                v.rows, v.columns, v.weights, first, last, self.document, self.document2
            )
            return cosine
        block = v.range_total(first, last)
        return cosine_to_rest(dot(block, self.document), dot(block, block), self.document2, True)


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """<a, b> summed in order (not BLAS, whose kernel, and so its order of summation, depends
    on the CPU; nor numpy's pairwise sum, which the C twin would have to copy block for
    block): the same bits on every machine and in both builds, and no BLAS threads left
    spinning beside a worker process."""
    if not len(a):
        return 0.0
    return float(np.add.accumulate(a * b)[-1])


def cosine_to_rest(shared: float, part2: float, whole2: float, part_in_whole: bool) -> float:
    """Cosine between a part and a whole without it, from <part, whole>, |part|² and |whole|².
    With `part_in_whole` false, the part was never added in and the whole is the rest."""
    if part_in_whole:
        rest2 = whole2 - 2 * shared + part2
        shared -= part2
    else:
        rest2 = whole2
    product = part2 * rest2
    if part2 <= 0 or rest2 <= 1e-9 or product <= 0:  # the last: underflow of tiny parts
        return 0.0
    return max(0.0, shared) / math.sqrt(product)


def cosines_to_rest(
    shared: np.ndarray, part2: np.ndarray, whole2: float, part_in_whole: np.ndarray
) -> list[float]:
    """`cosine_to_rest` of many parts of one whole at once, with the same float operations in
    the same order, so each value is the scalar one bit for bit."""
    rest2 = np.where(part_in_whole, whole2 - 2 * shared + part2, whole2)
    shared = np.where(part_in_whole, shared - part2, shared)
    product = part2 * rest2
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = np.maximum(shared, 0.0) / np.sqrt(product)
    out: list[float] = np.where(
        (part2 <= 0) | (rest2 <= 1e-9) | (product <= 0), 0.0, cosine
    ).tolist()
    return out


# The unit roundoff of float64: a sum of n positive terms is within n of these (relatively) of
# the exact sum, whatever order it runs in.
_ROUNDOFF = 2.0**-53


def rounding_bound(pairs: int, whole2: float, rest2: float) -> float:
    """How far rounding can move a part's cosine to the rest of a document when its sums run
    in another order: each of <part, whole>, |part|² and |whole|² is a sum of at most `pairs`
    (the document's Han bigrams) rounded products, so the two orders' values differ by under
    4 (pairs + 3) roundoffs of it, and the cosine by under 7 times that, scaled by how much
    larger the whole is than the rest (|rest|² is a difference): 28 (pairs + 3) roundoffs,
    taken as 64 for slack. The C pass uses the same formula."""
    if rest2 <= 0.0:
        return math.inf
    return 64 * (pairs + 3) * _ROUNDOFF * (1.0 + whole2 / rest2)


def rest_cosine_floors(
    documents: Sequence[Sequence[str]], spans: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """For each document (its paragraphs' texts) and each of its spans (int64 rows: first,
    last paragraph), a value no greater than the cosine `Topic.block_to_rest(first, last)`
    gives: computed from the whole document's bigram counts and the span's, without the
    per-paragraph cells `ParagraphVectors` builds (a few times cheaper). The sums run in
    another order than the topic's, so each cosine is lowered by `rounding_bound`. (In C
    when built.)"""
    for paragraphs, own in zip(documents, spans, strict=True):
        first, last = np.reshape(own, (-1, 2)).T
        if ((first < 0) | (first > last) | (last >= len(paragraphs))).any():
            raise ValueError("a span must be first <= last paragraph of its document")
    if native is not None:
        flat = [text for paragraphs in documents for text in paragraphs]
        joined = np.concatenate([np.reshape(s, -1) for s in spans]) if spans else np.zeros(0)
        floors = np.frombuffer(
            native.rest_cosine_floors(
                flat,
                [len(paragraphs) for paragraphs in documents],
                np.ascontiguousarray(joined, dtype=np.int64),
                [len(s) for s in spans],
                native_vocabulary(news_bigrams()),
            ),
            dtype=np.float64,
        )
        cuts = np.cumsum([0, *(len(s) for s in spans)]).tolist()
        return [floors[a:b] for a, b in pairwise(cuts)]
    return [_rest_cosine_floors(texts, own) for texts, own in zip(documents, spans, strict=True)]


def _rest_cosine_floors(texts: Sequence[str], spans: np.ndarray) -> np.ndarray:
    """`rest_cosine_floors` of one document, in numpy."""
    rows, first, second = han_pairs(Joined.of(texts))
    vocabulary, column, counts = np.unique(
        (first << 16) | second, return_inverse=True, return_counts=True
    )
    table = news_bigrams()
    idf = _dense_index(table).idf_of(vocabulary, _unknown_idf(table))
    whole = counts * idf
    whole2 = dot(whole, whole)
    ends = np.reshape(spans, (-1, 2)) + np.array([0, 1])  # rows first..last: [first, last + 1)
    bounds = np.searchsorted(rows, ends).tolist()
    floors = []
    for low, high in bounds:
        inside, own = np.unique(column[low:high], return_counts=True)
        part = own * idf[inside]
        shared, part2 = dot(part, whole[inside]), dot(part, part)
        rest2 = whole2 - 2 * shared + part2
        cosine = cosine_to_rest(shared, part2, whole2, True)
        floors.append(cosine - rounding_bound(len(rows), whole2, rest2))
    return np.array(floors, dtype=np.float64)
