"""Layout damage: paragraphs broken mid-sentence, truncated paragraphs, orphan fragments.

A body paragraph (long enough, with punctuation inside it, not the headline) that does not end
with sentence-final punctuation, a closing bracket or a closing quote stops mid-sentence. What
the next line looks like decides which damage it is:
- broken: the next line carries on the sentence. Evidence, learned from clean news copy
  (`data/news_bigrams.txt`): the bigram formed across the break is common inside text, or the
  next line opens with a bigram that almost never starts a sentence, or with a fragment;
- truncated: anything else (a new sentence, a heading, the end of the file).
Orphan fragments are short lines that are only the tail of a sentence (`市。`), or paragraphs
opening with such a tail (`市。培育…`).

Headlines, subheads, labels, captions, bylines, list items and slogans are short or carry no
punctuation inside them, so they are never body paragraphs here: no phrase lists are used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np

from qc.arrays import points_in, true_positions_by_part
from qc.config import LayoutConfig
from qc.model import Document, Finding, Paragraph
from qc.rules import finding
from qc.text import paragraph_columns
from qc.vocabulary import news_bigrams

# Ends a paragraph legitimately: sentence-final punctuation, a colon introducing what follows,
# a closing bracket or quote (captions, bylines, titles), an ellipsis or a dash.
# (NFKC turns "…" into "..." and "．" into ".", so a half-width full stop counts too.)
_FINISHED = re.compile(r"(?:[。！？!?；;：:….—]|[”’」』）)\]】》*])\s*$")
_INNER_PUNCTUATION = re.compile(r"[，,。；;：:、]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_FIRST_SENTENCE = re.compile(r"^([^。！？!?；;，,：:“”\"（）()]{1,12})[。！？!?]")
_QUOTE_OPEN = tuple('“「『"‘')


def _text(paragraph: Paragraph) -> str:
    return paragraph.norm


def is_body(paragraph: Paragraph, config: LayoutConfig) -> bool:
    text = _text(paragraph)
    return len(text) >= config.body_min_chars and bool(_INNER_PUNCTUATION.search(text[:-1]))


def ends_mid_sentence(paragraph: Paragraph) -> bool:
    return not _FINISHED.search(_text(paragraph))


def _opening_fragment(text: str, config: LayoutConfig) -> str | None:
    """A paragraph's first sentence when it is too short to be one (`市。培育…`). Longer
    short openings are topic sentences (`繁荣社会事业。…`), a normal news style."""
    if text.startswith(_QUOTE_OPEN):
        return None
    match = _FIRST_SENTENCE.match(text)
    if match is None or len(match.group(1)) > config.fragment_max_chars:
        return None
    return match.group(0)


def _short_tail(paragraph: Paragraph, config: LayoutConfig) -> bool:
    """A short line ending a statement (not a question, not a caption) with nothing inside it:
    the shape of a sentence's tail. Whether it is one depends on what is around it."""
    text = _text(paragraph)
    if len(text) > config.orphan_max_chars or _INNER_PUNCTUATION.search(text[:-1]):
        return False
    return text.endswith("。") and bool(_HAN.match(text[0]))


def continues(before: Paragraph, after: Paragraph, config: LayoutConfig) -> bool:
    """Does `after` carry on the sentence that `before` breaks off?

    Between two Han characters this is a likelihood comparison learned from clean news copy:
    how often the last character of `before` is followed by the first of `after` inside text,
    against how often a sentence opens with that character. An opening bigram that usually
    starts sentences (`按照`) says new sentence; one that almost never does (`部级`) says
    continuation. (Calibrated on CCTV articles, checked on People's Daily: about 86% right.)
    """
    end, start = _text(before), _text(after)
    if _short_tail(after, config) or _opening_fragment(start, config):
        return True
    if end[-1].isascii() and end[-1].isalnum() and start[0].isascii() and start[0].isalnum():
        return True  # a number or a word split across the break
    if len(start) < config.body_min_chars and ends_mid_sentence(after):
        return False  # a heading, label or caption follows: nothing carries on into it
    table = news_bigrams()
    if _HAN.match(end[-1]) and _HAN.match(start[0]):
        ratio = table.start_ratio(start[:2]) if len(start) > 1 and _HAN.match(start[1]) else None
        if ratio is not None and ratio >= config.new_sentence_ratio:
            return False
        if ratio is not None and ratio <= config.start_ratio_max:
            return True
        inside = table.follows(end[-1], start[0])
        return inside > config.continuation_odds * table.opens_with(start[0])
    return is_body(after, config)  # punctuation or a symbol at the break: body text carries on


def _joined(before: Paragraph, after: Paragraph) -> str:
    return before.text.rstrip() + after.text.lstrip()


_FINISHING = "。！？!?；;：:….—”’」』）)]】》*"
_FIRST_SENTENCE_END = "。！？!?"
_ORPHAN_END = "。"


def prepare(docs: Sequence[Document], config: LayoutConfig) -> list[list[int]]:
    """Per document, the paragraphs worth a look, from their first and last characters alone
    (array operations over the batch's paragraphs): those that stop mid-sentence, short lines
    ending in 。 (a possible orphan tail) and those whose first sentence ends within
    `fragment_max_chars`. No other paragraph can be damaged by the rules below."""
    columns = paragraph_columns(docs)
    starts, lengths = columns.starts, columns.norm_lengths
    ends = starts + lengths
    # Empty paragraphs (none, unless NFKC emptied a line) are flagged whatever they read here.
    last = columns.points_at(ends - 1)
    finished = (lengths > 0) & points_in(last, _FINISHING)
    orphan_tail = (lengths <= config.orphan_max_chars) & (last == ord(_ORPHAN_END))
    # A sentence end at offsets 1..fragment_max_chars + 1 of the paragraph.
    offsets = starts[:, None] + np.arange(1, config.fragment_max_chars + 2)
    inside = offsets < ends[:, None]
    early = columns.points_at(offsets).reshape(offsets.shape)
    early_end = (inside & points_in(early, _FIRST_SENTENCE_END)).any(axis=1)
    return true_positions_by_part(~finished | orphan_tail | early_end, columns.counts)


def detect(
    doc: Document, config: LayoutConfig, worth_a_look: list[int] | None = None
) -> Iterator[Finding]:
    paragraphs = doc.paragraphs
    look = range(1, len(paragraphs)) if worth_a_look is None else worth_a_look
    look = [i for i in look if i > 0]  # the first line is the headline
    used: set[int] = set()
    truncated: list[Paragraph] = []
    for index in look:
        paragraph = paragraphs[index]
        if index in used or not ends_mid_sentence(paragraph) or not is_body(paragraph, config):
            continue
        after = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if after is not None and continues(paragraph, after, config):
            used.update((index, after.index))
            yield _broken(paragraph, after)
        else:
            used.add(index)
            truncated.append(paragraph)
            yield _truncated(paragraph, after)
    for index in look:
        if index not in used:
            finding = _orphan(paragraphs[index], truncated, config)
            if finding is not None:
                yield finding


def _completes(truncated: list[Paragraph], orphan: Paragraph) -> Paragraph | None:
    """The earlier truncated paragraph that the orphan most plausibly ends: the one whose last
    character is most often followed by the orphan's first in news copy."""
    start = _text(orphan)[0]
    table = news_bigrams()
    scored = [
        (table.follows(_text(c)[-1], start), c.index, c)
        for c in truncated
        if c.index < orphan.index
    ]
    best = max(scored, default=None, key=lambda item: item[:2])
    return best[2] if best is not None and best[0] > 0 else None


def _broken(before: Paragraph, after: Paragraph) -> Finding:
    return finding(
        "QC401",
        line=before.line,
        end_line=after.line,
        message=f"line {before.line} breaks off mid-sentence and line {after.line} carries on; "
        "join them",
        excerpt=before.text[-20:] + " ⏎ " + after.text[:20],
        suggestion=_joined(before, after),
    )


def _truncated(paragraph: Paragraph, after: Paragraph | None) -> Finding:
    what = "the file ends" if after is None else f"line {after.line} starts something new"
    return finding(
        "QC402",
        line=paragraph.line,
        end_line=paragraph.line,
        message=f"paragraph stops mid-sentence and {what}; text is missing",
        excerpt="…" + paragraph.text[-30:],
    )


def _orphan(
    paragraph: Paragraph, truncated: list[Paragraph], config: LayoutConfig
) -> Finding | None:
    suggestion = None
    if _short_tail(paragraph, config):
        # A short statement is a fragment when it is too short to be a sentence, or when a
        # paragraph that stops mid-sentence reads on into it; else it is a short sentence.
        head = _completes(truncated, paragraph)
        if head is None and len(_text(paragraph)) - 1 > config.fragment_max_chars:
            return None
        message = "a lone fragment: only the tail of a sentence whose start is missing"
        if head is not None:
            message += f"; it may be the end of line {head.line}, which stops mid-sentence"
            suggestion = _joined(head, paragraph)
    else:
        fragment = _opening_fragment(_text(paragraph), config)
        if fragment is None:
            return None
        message = (
            f"opens with a fragment ({fragment!r}): the tail of a sentence whose start is missing"
        )
    return finding(
        "QC403",
        line=paragraph.line,
        end_line=paragraph.line,
        message=message,
        excerpt=paragraph.text[:30],
        suggestion=suggestion,
    )
