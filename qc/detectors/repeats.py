"""Repeats within one file: paragraphs and blocks that appear again later, exactly or nearly.

How it works:
1. Paragraphs and sentences are each matched to their first earlier copy: exactly through a
   dict, else through MinHash/LSH candidates verified by edit similarity (`similarity.py`).
   Each text is verified against at most one candidate per LSH band, so 50,000 copies of one
   line cost 50,000 checks, not 50,000².
2. Each later paragraph is judged against its candidate sources (the paragraphs its sentences
   came from, its paragraph-level match, the source of the copy just before it):
   - whole: a near or exact copy of one earlier paragraph;
   - extended / completed: it opens with all of the paragraph just before it and adds text
     (repeated then extended, or cut short then given in full);
   - merged: most of its text comes from several consecutive earlier paragraphs (re-flowed);
   - part: it is a piece of an earlier paragraph (that paragraph re-pasted over several lines).
3. Consecutive copies whose sources run forward together become one finding.

Short lines (separators, section labels, a repeated rhetorical question) never count on their
own: a copy needs `min_chars` of matched text. Quotations and bracketed pull quotes (`【…】`)
count only when repeated whole and exactly, so an article may cite a quotation twice or print a
pull quote that restates its body.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Literal

import numpy as np

from qc.config import RepeatConfig
from qc.model import Document, Finding, Location, Paragraph
from qc.rules import finding
from qc.similarity import (
    NearSearch,
    Pieces,
    Units,
    containment,
    fewest_intact_of_many,
    first_copies_of,
    length_classes,
    may_be_near,
    may_hold,
    may_repeat,
    opening_windows,
    shared_windows_of_joined,
    similarity,
)
from qc.text import (
    Columns,
    SentenceBatch,
    Sentences,
    paragraph_columns,
    sentences_of_batch,
)

Kind = Literal["exact", "near", "extended", "completed", "merged", "part"]

_SENTENCE_END = re.compile(r"[。！？!?…；;.][”’」』）)\]\"']*$")
# Quotations and bracketed pull quotes legitimately restate text found elsewhere.
_QUOTED = re.compile(r"“[^”]*”?|「[^」]*」?|『[^』]*』?|【[^】]*】?")
QUOTATION_SHARE = 0.6


@dataclass(frozen=True)
class Copy:
    """A later paragraph judged to repeat earlier text."""

    paragraph: int
    sources: tuple[int, ...]
    kind: Kind
    similarity: float
    covers: float  # share of the source's text this copy holds (parts of one source add up)


Openers = dict[int, list[int]]  # later paragraph -> earlier ones it may open with, nearest first
Roots = dict[int, int]  # sentence or paragraph -> its first earlier copy (those with one only)


@dataclass
class _Evidence:
    """What one later paragraph's sentences share with earlier paragraphs."""

    covered: int = 0
    by_source: dict[int, int] = field(default_factory=lambda: defaultdict(int))


@lru_cache(maxsize=4096)  # asked of the same sentences and paragraphs three times on average
def _is_quotation(text: str) -> bool:
    """Mostly text inside quotation marks or 【】 brackets (a quotation or a pull quote)."""
    if "“" in text or "「" in text or "『" in text or "【" in text:
        quoted = sum(m.end() - m.start() for m in _QUOTED.finditer(text))
    else:
        quoted = 0  # nothing opens a quotation (most text): no search needed
    return quoted >= QUOTATION_SHARE * len(text)


def _looks_cut_short(paragraph: Paragraph) -> bool:
    return not _SENTENCE_END.search(paragraph.text)


def _search(config: RepeatConfig) -> NearSearch:
    return NearSearch(
        num_perm=config.num_perm,
        ngram=config.ngram,
        threshold=config.lsh_threshold,
        min_similarity=config.near_similarity,
        min_chars=config.min_sentence_chars,
        max_candidates=config.max_candidates,
    )


def _gather(found: Sentences, roots: Roots) -> dict[int, _Evidence]:
    """Per paragraph with any: how much of its text is earlier sentences, and from where."""
    evidence: dict[int, _Evidence] = {}
    for position, root in roots.items():
        if _is_quotation(found.text(position)) or _is_quotation(found.text(root)):
            continue
        source, paragraph = found.paragraphs[root], found.paragraphs[position]
        if source < paragraph:
            size = len(found.keys[position])
            entry = evidence.setdefault(paragraph, _Evidence())
            entry.covered += size
            entry.by_source[source] += size
    return evidence


@dataclass(frozen=True)
class _Context:
    paragraphs: tuple[Paragraph, ...]
    config: RepeatConfig
    openers: Openers  # the screen's: only these pairs can pass `_opens_with`


def _whole(later: Paragraph, source: int, ctx: _Context) -> Copy | None:
    earlier = ctx.paragraphs[source]
    if len(later.key) < ctx.config.min_chars:
        return None
    score = similarity(earlier.key, later.key)
    quoted = _is_quotation(earlier.text) or _is_quotation(later.text)
    if score == 1.0 or (score >= ctx.config.near_similarity and not quoted):
        return Copy(later.index, (source,), "exact" if score == 1.0 else "near", score, 1.0)
    return None


def _opens_with(later: Paragraph, ctx: _Context) -> Copy | None:
    """Repeated then extended, or cut short then given in full: `later` opens with all of a
    long paragraph just before it. Far apart, or further in, the same text is a summary or
    pull-out restating the body, which is legitimate."""
    for source in ctx.openers.get(later.index, ()):  # long enough, shorter, within reach
        earlier = ctx.paragraphs[source]
        score = similarity(earlier.key, later.key[: len(earlier.key)])
        if score >= ctx.config.near_similarity and not _is_quotation(earlier.text):
            kind: Kind = "completed" if _looks_cut_short(earlier) else "extended"
            return Copy(later.index, (source,), kind, score, 1.0)
    return None


def _merged(later: Paragraph, starts: list[int], ctx: _Context) -> Copy | None:
    """`later` is a run of consecutive earlier paragraphs re-pasted as one line."""
    size = len(later.key)
    if size < ctx.config.min_chars:
        return None
    for start in starts:
        joined, end = "", start
        while end < later.index and len(joined) < size:
            joined += ctx.paragraphs[end].key
            end += 1
        if end - start < 2:
            continue
        score = similarity(joined, later.key)
        if score >= ctx.config.near_similarity:
            return Copy(later.index, tuple(range(start, end)), "merged", score, 1.0)
    return None


def _part(later: Paragraph, candidates: list[int], ctx: _Context) -> Copy | None:
    """`later` is a piece of a longer earlier paragraph (one of several it was split into)."""
    if not candidates or len(later.key) < ctx.config.min_chars or _is_quotation(later.text):
        return None
    for source in candidates:
        earlier = ctx.paragraphs[source]
        if len(earlier.key) <= len(later.key) or _is_quotation(earlier.text):
            continue
        near = ctx.config.near_similarity
        if not may_hold(later.key, earlier.key, near, ctx.config.ngram):
            continue  # too few shared windows: rapidfuzz would search in vain (most pairs)
        score = containment(later.key, earlier.key, near)
        if score >= near:
            covers = len(later.key) / len(earlier.key)
            return Copy(later.index, (source,), "part", score, covers)
    return None


def _judge(
    later: Paragraph, found: _Evidence, whole_root: int, previous: Copy | None, ctx: _Context
) -> Copy | None:
    if whole_root >= 0:
        copy = _whole(later, whole_root, ctx)
        if copy is not None:
            return copy
    by_weight = sorted(found.by_source, key=lambda i: (-found.by_source[i], i))
    for source in by_weight[:3]:
        copy = _whole(later, source, ctx)
        if copy is not None:
            return copy
    copy = _opens_with(later, ctx) or _merged(later, sorted(found.by_source)[:3], ctx)
    if copy is not None:
        return copy
    candidates = by_weight[:3]
    if previous is not None and later.index - previous.paragraph - 1 <= ctx.config.max_block_gap:
        candidates += [s for s in previous.sources if s not in candidates]
    return _part(later, candidates, ctx)


@dataclass(frozen=True)
class Matched:
    """What a batch pass found for one document: its sentences, the first earlier copy of
    each sentence and each paragraph that has one (ascending), and the paragraphs that may
    open with a near copy of one just before them (`_openers`)."""

    sentences: Sentences
    sentence_roots: Roots
    whole_roots: Roots
    openers: Openers


@dataclass(frozen=True)
class _Screen:
    """Over the batch's sentences, then its paragraphs (as in `_pieces`): which may have a
    near copy in their document (the only ones worth signing) or an exact one (the only ones
    worth hashing); and per document, the paragraphs that may open with a near copy of one
    just before them."""

    near: np.ndarray
    exact: np.ndarray
    openers: list[Openers]


def _screen(columns: Columns, batch: SentenceBatch, config: RepeatConfig) -> _Screen:
    """Count every sentence's and paragraph's windows shared within its document (one pass
    over the batch) and keep those with enough for a near copy (`may_be_near`). A near copy
    is about as long as its original, so only windows shared with a text of such a length
    count: in coherent copy a third of a text's windows recur somewhere in the article, and
    the plain count let a quarter of all texts through to be signed (the benchmark's batch),
    the count by length one in thirteen. Openings are screened on the plain count (an
    extended copy is longer)."""
    sentence_counts = [len(sentences.keys) for sentences in batch.documents]
    sentence_lengths, paragraph_lengths = batch.key_lengths, columns.key_lengths
    sentences, paragraphs = len(sentence_lengths), len(paragraph_lengths)
    similar = config.near_similarity
    shared_sentences, shared_paragraphs, near_paragraphs = shared_windows_of_joined(
        batch.joined_keys,
        sentence_lengths,
        config.ngram,
        np.repeat(np.arange(len(columns.counts)), sentence_counts),
        [
            Units(np.arange(sentences), sentences, length_classes(sentence_lengths, similar)),
            Units(batch.paragraph_of, paragraphs),
            Units(batch.paragraph_of, paragraphs, length_classes(paragraph_lengths, similar)),
        ],
    )
    lengths = np.concatenate((sentence_lengths, paragraph_lengths))
    shared = np.concatenate((shared_sentences, near_paragraphs))
    near = config.near_similarity, config.ngram, config.min_sentence_chars
    return _Screen(
        may_be_near(lengths, shared, *near),
        may_repeat(lengths, shared, config.ngram),
        _openers(columns, shared_paragraphs, config),
    )


def _pieces(columns: Columns, batch: SentenceBatch) -> Pieces:
    """The batch's sentence keys, then its paragraph keys, as pieces of one text: group d is
    document d's sentences, group D + d its paragraphs (D documents). The sentences' keys are
    most often the paragraphs' own text, cut differently."""
    sentence_lengths, paragraph_lengths = batch.key_lengths, columns.key_lengths
    text, offset = columns.keys, 0
    if batch.joined_keys is not columns.keys:  # case folding lengthened a sentence's key
        text, offset = batch.joined_keys + columns.keys, len(batch.joined_keys)
    documents = len(columns.counts)
    sentence_counts = [len(sentences.keys) for sentences in batch.documents]
    lengths = np.concatenate((sentence_lengths, paragraph_lengths))
    starts = np.concatenate(
        (
            np.cumsum(sentence_lengths) - sentence_lengths,
            np.cumsum(paragraph_lengths) - paragraph_lengths + offset,
        )
    )
    groups = np.concatenate(
        (
            np.repeat(np.arange(documents), sentence_counts),
            np.repeat(np.arange(documents, 2 * documents), columns.counts),
        )
    )
    return Pieces(text, starts, lengths, groups)


def _openers(columns: Columns, shared: np.ndarray, config: RepeatConfig) -> list[Openers]:
    """Per document: the paragraphs that may open with a near copy of one at most
    `extension_max_distance` before them, and those, nearest first. An earlier paragraph
    that is long enough and shares enough windows within its document (`may_be_near`) is
    paired with each longer one within reach; a pair is kept when the earlier one's windows
    found in the later one's opening are enough for a near copy. In coherent copy a third
    of a paragraph's windows recur somewhere in the article, so the first test alone lets
    through a paragraph in six; the second keeps only real openings."""
    lengths, counts = columns.key_lengths, columns.counts
    near = config.near_similarity, config.ngram, config.extension_min_chars
    sources = np.flatnonzero(may_be_near(lengths, shared, *near))
    owner = np.repeat(np.arange(len(counts)), counts)
    earlier, later = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for distance in range(1, config.extension_max_distance + 1):
        source = sources[sources + distance < len(lengths)]
        target = source + distance
        keep = (owner[target] == owner[source]) & (lengths[target] > lengths[source])
        earlier.append(source[keep])
        later.append(target[keep])
    first, second = np.concatenate(earlier), np.concatenate(later)
    starts = np.cumsum(lengths) - lengths
    needed = fewest_intact_of_many(lengths[first], config.near_similarity, config.ngram)
    found = opening_windows(
        columns.keys, starts, lengths, first, second, config.ngram, at_least=needed
    )
    passing = may_be_near(lengths[first], found, *near)
    first, second = first[passing], second[passing]
    order = np.lexsort((second - first, second))  # by later paragraph, nearest source first
    bases = np.cumsum([0, *counts])
    out: list[Openers] = [{} for _ in counts]
    for source, target, number in zip(
        first[order].tolist(), second[order].tolist(), owner[second[order]].tolist(), strict=True
    ):
        base = int(bases[number])
        out[number].setdefault(target - base, []).append(source - base)
    return out


def prepare(docs: Sequence[Document], config: RepeatConfig) -> list[Matched]:
    """Sentences, the screen and first copies for a batch of documents: a handful of array
    operations over all their text instead of a handful per document, and one signature
    pass for whatever the screen lets through."""
    columns = paragraph_columns(docs)
    batch = sentences_of_batch(columns)
    screen = _screen(columns, batch, config)
    pieces = _pieces(columns, batch)
    roots = first_copies_of(pieces, screen.near, screen.exact, _search(config))
    # Only pieces with a copy are handed on (few), as positions in their document.
    sizes = np.bincount(pieces.groups, minlength=2 * len(docs))
    bounds = np.cumsum(sizes) - sizes
    copied = np.flatnonzero(roots >= 0)
    groups = pieces.groups[copied]
    cuts = np.searchsorted(groups, np.arange(2 * len(docs) + 1)).tolist()
    positions = (copied - bounds[groups]).tolist()
    firsts = (roots[copied] - bounds[groups]).tolist()
    found: list[Roots] = [
        dict(zip(positions[low:high], firsts[low:high], strict=True))
        for low, high in pairwise(cuts)
    ]
    count = len(docs)
    return [
        Matched(batch.documents[i], found[i], found[count + i], screen.openers[i])
        for i in range(count)
    ]


def _nothing_to_judge(matched: Matched) -> bool:
    """No copy of any sentence or paragraph, and no paragraph that could open a later one:
    no judgement can succeed (true of most documents)."""
    return not matched.sentence_roots and not matched.whole_roots and not matched.openers


def find_copies(doc: Document, config: RepeatConfig, matched: Matched | None = None) -> list[Copy]:
    """Every later paragraph that repeats earlier text, in document order."""
    matched = matched or prepare([doc], config)[0]
    if _nothing_to_judge(matched):
        return []
    evidence = _gather(matched.sentences, matched.sentence_roots)
    openers = matched.openers
    ctx = _Context(doc.paragraphs, config, openers)
    copies: list[Copy] = []
    nothing = _Evidence()
    whole_roots, paragraphs, gap = matched.whole_roots, doc.paragraphs, config.max_block_gap
    # Most paragraphs have no earlier copy, no shared sentence, nothing that may open them,
    # and no copy just before them: no judgement below can succeed, so only the others are
    # visited, in order.
    marked = sorted({*whole_roots, *evidence, *openers})
    index, at = -1, 0
    while True:
        index += 1
        if not (copies and index - copies[-1].paragraph - 1 <= gap):
            at = bisect_left(marked, index, lo=at)  # the next marked one
            if at == len(marked):
                break
            index = marked[at]
        if index >= len(paragraphs):
            break
        paragraph = paragraphs[index]
        copy = _judge(
            paragraph,
            evidence.get(index, nothing),
            whole_roots.get(index, -1),
            copies[-1] if copies else None,
            ctx,
        )
        if copy is None:
            continue
        # The first piece of a split paragraph may hold no whole sentence, so nothing pointed
        # at its source until the next piece did.
        before = index - 1
        if copy.kind == "part" and before >= 0 and (not copies or copies[-1].paragraph < before):
            piece = _part(doc.paragraphs[before], list(copy.sources), ctx)
            if piece is not None:
                copies.append(piece)
        copies.append(copy)
    return copies


def group_blocks(copies: list[Copy], max_gap: int) -> list[list[Copy]]:
    """Consecutive copies whose sources run forward together form one block."""
    blocks: list[list[Copy]] = []
    for copy in copies:
        if blocks:
            previous = blocks[-1][-1]
            near_later = copy.paragraph - previous.paragraph - 1 <= max_gap
            step = min(copy.sources) - max(previous.sources)
            forward = min(copy.sources) >= min(previous.sources) and step - 1 <= max_gap
            if near_later and forward:
                blocks[-1].append(copy)
                continue
        blocks.append([copy])
    return blocks


def _complete(block: list[Copy], cover_ratio: float) -> bool:
    """A block made only of pieces of one paragraph must hold most of it: a lone sentence of a
    long paragraph restated elsewhere (a summary, a closing line) is not a re-paste."""
    if any(copy.kind != "part" for copy in block) or len({c.sources for c in block}) > 1:
        return True
    return sum(copy.covers for copy in block) >= cover_ratio


def _span(paragraphs: tuple[Paragraph, ...], indices: list[int]) -> tuple[int, int]:
    return paragraphs[min(indices)].line, paragraphs[max(indices)].line


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}–{last}"


def _describe(block: list[Copy], paragraphs: tuple[Paragraph, ...]) -> tuple[str, str]:
    """Rule code and message for one block of copies."""
    sources = sorted({s for copy in block for s in copy.sources})
    where = _lines(*_span(paragraphs, sources))
    later = _lines(*_span(paragraphs, [c.paragraph for c in block]))
    if len(block) >= 2 and len(sources) == 1:
        return "QC104", f"re-pastes {where} split over {later}"
    if len(block) >= 2:
        return "QC101", f"{len(block)} paragraphs repeat the block at {where}"
    messages = {
        "exact": ("QC102", f"repeats {where} exactly"),
        "near": ("QC102", f"nearly repeats {where}"),
        "part": ("QC102", f"repeats text of {where}"),
        "extended": ("QC103", f"repeats {where} and adds text"),
        "completed": ("QC103", f"gives in full {where}, which was cut short"),
        "merged": ("QC104", f"re-pastes {where} as one paragraph"),
    }
    return messages[block[0].kind]


def detect(
    doc: Document, config: RepeatConfig, matched: Matched | None = None
) -> Iterator[Finding]:
    paragraphs = doc.paragraphs
    for block in group_blocks(find_copies(doc, config, matched), config.max_block_gap):
        if not _complete(block, config.cover_ratio):
            continue
        code, message = _describe(block, paragraphs)
        first, last = _span(paragraphs, [s for copy in block for s in copy.sources])
        later_first, later_last = _span(paragraphs, [c.paragraph for c in block])
        weights = [len(paragraphs[c.paragraph].key) for c in block]
        score = sum(c.similarity * w for c, w in zip(block, weights, strict=True)) / sum(weights)
        yield finding(
            code,
            line=later_first,
            end_line=later_last,
            message=f"{message} (first copy at line {first})",
            similarity=round(score, 3),
            related=(Location(doc.path, first, last),),
            excerpt=paragraphs[block[0].paragraph].text,
        )
