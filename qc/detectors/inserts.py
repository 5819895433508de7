"""Off-topic inserts: Weibo and fan posts, hot lists, ads and lottery calls pasted into copy.

Evidence combines markers with topical coherence:
1. Every paragraph gets its marker signals (hashtags, `[超话]`, `//@` chains, `[表情]` codes,
   short links, emoji, hot-list headers, comment-UI residue, coupon and lottery calls), its
   news register (the share of its character bigrams that clean news copy uses), and a
   TF-IDF vector of its bigrams.
2. Paragraphs that carry a strong marker, or read unlike news, seed candidate blocks. A block
   grows over neighbouring lines until it meets an anchor: a paragraph that reads as news and
   belongs to the article's topic.
3. A block is reported when its vocabulary does not belong to the rest of the article (TF-IDF
   cosine): with markers, below `marked_topic_max`; without any, only when it is far off-topic
   and does not read like news (so a second article on a newspaper page is not an insert).
A news paragraph that quotes one Weibo post, or an article about a hashtag campaign, stays on
topic and is not flagged.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

import numpy as np

from qc.config import InsertConfig
from qc.model import Document, Finding, Paragraph
from qc.native import native
from qc.rules import finding
from qc.text import Joined, paragraph_columns
from qc.vocabulary import ParagraphVectors, Topic, news_counts, rest_cosine_floors

_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0xFE0F, 0xFE0F))
_EMOJI = "".join(chr(low) + (f"-{chr(high)}" if high > low else "") for low, high in _EMOJI_RANGES)
# The headers of a hot list (热搜榜 is 热搜 and more).
_HOT_LIST_HEADERS = (
    "热门推荐",
    "热搜榜",
    "热搜",
    "热门微博",
    "猜你喜欢",
    "大家都在看",
    "为你推荐",
    "相关推荐",
    "今日热点",
)
# Strong markers: hardly ever in news copy outside a pasted post, list or ad.
STRONG: dict[str, re.Pattern[str]] = {
    "hashtag": re.compile(r"#[^#\s]{1,40}#"),
    "super-topic": re.compile(r"超话"),
    "repost-chain": re.compile(r"//\s?@"),
    "emoticon-code": re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]"),
    "short-link": re.compile(r"\b(?:t\.cn|url\.cn|dwz\.cn|suo\.im|b23\.tv)/\w+"),
    "hot-list": re.compile(
        rf"^[\W{_EMOJI}]{{0,3}}(?:{'|'.join(_HOT_LIST_HEADERS)})[\W{_EMOJI}]{{0,3}}$"
    ),
    "comment-ui": re.compile(
        r"(?:发布|举报|写留言|回复|点赞|收起|展开全文)(?:\s|[\W\d]){0,6}(?:举报|写留言|回复|点赞|收起|👍)"
    ),
    "lottery-or-coupon": re.compile(
        r"转发抽奖|抽奖平台|转发并@|揪\S{0,3}送|领券|优惠券|券后|到手价|扫码领|包邮|秒杀|V信|加微"
    ),
}
# Weak markers: also found in news (a handle in an attributed quote, a link, an emoji).
WEAK: dict[str, re.Pattern[str]] = {
    "mention": re.compile(r"(?<![\w.])@[\w\u4e00-\u9fff-]{2,30}"),
    "link": re.compile(r"https?://|www\.\w"),
    "emoji": re.compile(rf"[{_EMOJI}]"),
    "chatty": re.compile(r"哈哈|嘻嘻|呜呜|啊啊|[!！]{2,}|~{2,}|～|❗"),
}


# Literals one of which every match of a marker's pattern contains (a test holds each pattern
# to them): a line holding none is not searched with the pattern. No entry: always search.
_NEEDS: dict[str, tuple[str, ...]] = {
    "hashtag": ("#",),
    "super-topic": ("超话",),
    "repost-chain": ("//",),
    "emoticon-code": ("[",),
    "short-link": ("t.cn/", "url.cn/", "dwz.cn/", "suo.im/", "b23.tv/"),
    "hot-list": _HOT_LIST_HEADERS,
    "comment-ui": ("举报", "写留言", "回复", "点赞", "收起", "👍"),
    "lottery-or-coupon": (
        "抽奖",
        "转发并@",
        "揪",
        "券",
        "到手价",
        "扫码领",
        "包邮",
        "秒杀",
        "V信",
        "加微",
    ),
    "mention": ("@",),
    "link": ("http", "www."),
    "chatty": ("哈哈", "嘻嘻", "呜呜", "啊啊", "!!", "!！", "！!", "！！", "~~", "～", "❗"),
}


# Each marker's literals as one alternation: a search in C, where a generator of `in` tests
# per marker cost more than the patterns it saved.
_NEEDED: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(map(re.escape, literals))) for name, literals in _NEEDS.items()
}


def _markers_in(text: str, patterns: dict[str, re.Pattern[str]]) -> list[str]:
    """The names of the patterns found in the text, in their order."""
    return [
        name
        for name, rx in patterns.items()
        if (name not in _NEEDED or _NEEDED[name].search(text)) and rx.search(text)
    ]


class _Line(NamedTuple):
    """A paragraph's insert signals (a named tuple: one is built per paragraph)."""

    paragraph: Paragraph
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    news: float | None  # share of news bigrams; None for lines with too few to judge
    bigrams: int
    known_bigrams: int


@dataclass(frozen=True)
class _Block:
    """Consecutive lines first..last: their bigrams, known bigrams, markers and characters."""

    first: int
    last: int
    bigrams: int
    known_bigrams: int
    strong: list[str]
    weak: list[str]  # those not also strong
    chars: int


class _Lines:
    """A document's line profiles, each made when first read. Those of lines with markers to
    look for are made in `prepare`; most others are only ever summed, from the counts."""

    __slots__ = ("_config", "_made", "knowns", "paragraphs", "totals")

    def __init__(
        self,
        paragraphs: Sequence[Paragraph],
        totals: np.ndarray,
        knowns: np.ndarray,
        made: dict[int, _Line],
        config: InsertConfig,
    ) -> None:
        self.paragraphs, self._made, self._config = paragraphs, made, config
        self.totals, self.knowns = totals, knowns  # each line's bigrams, and known ones

    def __len__(self) -> int:
        return len(self.paragraphs)

    def __getitem__(self, at: int) -> _Line:
        line = self._made.get(at)
        if line is None:
            total, known = int(self.totals[at]), int(self.knowns[at])
            line = _profile(self.paragraphs[at], total, known, self._config, 0)
            self._made[at] = line
        return line

    def block(self, first: int, last: int) -> _Block:
        """Lines first..last summed up, without profiling any more of them: a line without
        markers to look for has none."""
        strong: set[str] = set()
        weak: set[str] = set()
        for i, line in self._made.items():
            if first <= i <= last:
                strong.update(line.strong)
                weak.update(line.weak)
        return _Block(
            first,
            last,
            int(self.totals[first : last + 1].sum()),
            int(self.knowns[first : last + 1].sum()),
            sorted(strong),
            sorted(weak - strong),
            sum(len(p.text) for p in self.paragraphs[first : last + 1]),
        )

    def strong(self) -> np.ndarray:
        """Which lines carry a strong marker (only profiled ones can)."""
        flags = np.zeros(len(self), dtype=bool)
        flags[[i for i, line in self._made.items() if line.strong]] = True
        return flags


_QUOTED = re.compile(r"“[^”]*”|「[^」]*」")


def _unquoted(text: str) -> str:
    """Text outside quotation marks: a post quoted with attribution is reported speech."""
    outside = _QUOTED.sub("", text)
    return outside if outside.strip() else text


def _is_emoji(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _EMOJI_RANGES)


# Every marker but the hot-list header (found by its header words) and emoji (by the emoji
# ranges) holds one of its `_NEEDS` literals: a paragraph holding none of these triggers, and
# no emoji, surely carries no marker, which is most news paragraphs. (Literals that open with
# an emoji, 👍, are found by the range scan.)
_TRIGGERS = tuple(
    dict.fromkeys(
        literal
        for name, literals in _NEEDS.items()
        if name != "hot-list"
        for literal in literals
        if not _is_emoji(literal[0])
    )
)
_HOT_LIST, _ALL = 1, 2  # which markers a paragraph may carry: the hot-list header only, or all


TriggerSet = tuple[Sequence[str], Sequence[tuple[int, int]]]  # literals, code point ranges


def _containing(texts: Joined, sets: Sequence[TriggerSet]) -> list[np.ndarray]:
    """For each set, which texts hold any of its literals or a character in one of its
    (inclusive) code point ranges. One scan over all the texts for every set (in C when
    built)."""
    if native is not None:
        found = native.containing(texts.text, texts.lengths, [(list(a), list(b)) for a, b in sets])
        flags = np.frombuffer(found, dtype=np.uint8)
        return [(flags & (1 << number)) != 0 for number in range(len(sets))]
    out = []
    for literals, ranges in sets:
        # One alternation of literals: the regex engine scans for their first characters in C.
        patterns = [re.compile("|".join(map(re.escape, literals)))] if literals else []
        if ranges:
            chars = "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges)
            patterns.append(re.compile(f"[{chars}]"))
        hits = [m.start() for rx in patterns for m in rx.finditer(texts.text)]
        flags = np.zeros(len(texts.lengths), dtype=bool)
        at = np.searchsorted(texts.starts, np.asarray(hits, dtype=np.int64), side="right") - 1
        flags[at] = True
        out.append(flags)
    return out


@dataclass(frozen=True)
class Profiled:
    """What a batch pass found for one document: every paragraph's profile, which ones look
    inserted by themselves (seeds), and the TF-IDF vectors; all None when nothing looks
    inserted, which is most documents."""

    lines: _Lines | None = None
    seeds: np.ndarray | None = None
    vectors: ParagraphVectors | None = None
    # The seeds by kind: marked lines, and unmarked ones (no strong marker, unlike news).
    marked: list[int] = field(default_factory=list)
    unmarked: list[int] = field(default_factory=list)


_NOTHING = Profiled()  # what most documents get: shared, as nothing changes a Profiled


def prepare(docs: Sequence[Document], config: InsertConfig) -> list[Profiled]:
    """Vocabulary counts, the marker scan and, where anything looks inserted, the TF-IDF
    vectors, each computed for the whole batch at once."""
    columns = paragraph_columns(docs)
    norms = columns.joined_norms
    totals, knowns = news_counts(norms)
    # Without markers a line seeds a block only when it reads unlike news.
    unlike = _news_shares(totals, knowns, config) < config.unmarked_news_max
    # Every marker but the hot-list header needs a trigger or an emoji, so texts without one
    # surely carry none; a hot-list header is a short line holding a header word.
    triggered, header = _containing(norms, [(_TRIGGERS, _EMOJI_RANGES), (_HOT_LIST_HEADERS, ())])
    headed = (columns.norm_lengths <= config.short_line_chars) & header
    markers = np.where(triggered, _ALL, np.where(headed, _HOT_LIST, 0))
    sizes = columns.counts
    bounds = np.cumsum([0, *sizes]).tolist()
    # Only documents with a marker to look for or a line reading unlike news can have a seed:
    # both found for the batch at once, then handed to their documents (local indices).
    owner = np.repeat(np.arange(len(docs)), sizes)
    candidates_of: dict[int, dict[int, int]] = defaultdict(dict)
    marked_at = np.flatnonzero(markers)
    for at, kind, number in zip(
        marked_at.tolist(), markers[marked_at].tolist(), owner[marked_at].tolist(), strict=True
    ):
        candidates_of[number][at - bounds[number]] = kind
    unlike_of: dict[int, list[int]] = defaultdict(list)
    unlike_at = np.flatnonzero(unlike)
    for at, number in zip(unlike_at.tolist(), owner[unlike_at].tolist(), strict=True):
        unlike_of[number].append(at - bounds[number])
    found: dict[int, Profiled] = {}
    screened: dict[int, tuple[Profiled, list[tuple[int, int]]]] = {}
    for number in sorted(candidates_of.keys() | unlike_of.keys()):
        first, last = bounds[number], bounds[number + 1]
        seeded = _seeded(
            docs[number],
            totals[first:last],
            knowns[first:last],
            candidates_of.get(number, {}),
            unlike_of[number],
            config,
        )
        if seeded is not None and seeded[1]:
            screened[number] = (seeded[0], seeded[1])
        elif seeded is not None:
            found[number] = seeded[0]
    if screened:
        on_topic = _on_topic([docs[n] for n in screened], [s for _, s in screened.values()], config)
        for (number, (profiled, _)), settled in zip(screened.items(), on_topic, strict=True):
            if not settled:
                found[number] = profiled
    numbers = sorted(found)
    vectors = ParagraphVectors.of_documents([[p.norm for p in docs[n].paragraphs] for n in numbers])
    out = [_NOTHING] * len(docs)
    for number, vector in zip(numbers, vectors, strict=True):
        out[number] = dataclasses.replace(found[number], vectors=vector)
    return out


def _seeded(
    doc: Document,
    totals: np.ndarray,
    knowns: np.ndarray,
    candidates: dict[int, int],
    unlike: list[int],
    config: InsertConfig,
) -> tuple[Profiled, list[tuple[int, int]] | None] | None:
    """The document's profile and seeds, or None when nothing can be reported; with the
    spans whose topic decides whether anything can be (None when it has marked seeds, or
    too many spans to list). `candidates` maps lines to the markers to look for, `unlike`
    lists those that read unlike news."""
    lines = _profiled_lines(doc, totals, knowns, candidates, config)
    # Only lines with markers to look for can be marked, and a line without a strong
    # marker is an unmarked seed exactly when it reads unlike news.
    marked = sorted(i for i in candidates if _marked(lines[i], config))
    unmarked = [i for i in unlike if not lines[i].strong]
    if not marked and not unmarked:
        return None  # nothing looks inserted
    # Blocks of unmarked seeds alone are reported only where they are far off-topic.
    spans = None if marked else _reportable_spans(unmarked, lines, config)
    if spans == []:
        return None  # no block of them could be reported
    seeds = np.zeros(len(doc.paragraphs), dtype=bool)
    seeds[marked + unmarked] = True
    return Profiled(lines, seeds, None, marked, unmarked), spans


def _news_shares(totals: np.ndarray, knowns: np.ndarray, config: InsertConfig) -> np.ndarray:
    """`_Line.news` of many lines at once: NaN (which no comparison holds) for lines with too
    few bigrams to judge."""
    shares: np.ndarray = np.where(
        totals >= config.min_bigrams, knowns / np.maximum(totals, 1), np.nan
    )
    return shares


def _profile(
    paragraph: Paragraph, total: int, known: int, config: InsertConfig, markers: int
) -> _Line:
    news = known / total if total >= config.min_bigrams else None
    if not markers:
        return _Line(paragraph, (), (), news, total, known)
    own = _unquoted(paragraph.norm)
    if markers == _HOT_LIST:
        found = STRONG["hot-list"].search(own) is not None
        return _Line(paragraph, ("hot-list",) if found else (), (), news, total, known)
    strong, weak = _markers_in(own, STRONG), _markers_in(own, WEAK)
    if strong == ["hashtag"] and news is not None and news >= config.news_vocabulary_min:
        # A topic tag in prose that reads as news: the article is about the campaign.
        strong, weak = [], ["hashtag", *weak]
    return _Line(paragraph, tuple(strong), tuple(weak), news, total, known)


def _unlike_news(line: _Line, limit: float) -> bool:
    return line.news is not None and line.news < limit


def _marked(line: _Line, config: InsertConfig) -> bool:
    """A strong marker, or a weak one in text that does not read like news."""
    return bool(line.strong) or (bool(line.weak) and _unlike_news(line, config.news_vocabulary_min))


def _anchors(lines: _Lines, topic: Topic, config: InsertConfig) -> list[int]:
    """The lines that read as news and belong to the article's topic: they end any block."""
    reads_as_news = _news_shares(lines.totals, lines.knowns, config) >= config.news_vocabulary_min
    on_topic = topic.line_cosines >= config.anchor_topic_min
    anchors: list[int] = np.flatnonzero(reads_as_news & on_topic & ~lines.strong()).tolist()
    return anchors


_SENTENCE_END = re.compile(r"[。！？!?…][”’」』）)]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[•·●▪◦○►▶▸➤*-]|\d{1,2}[.、)])")


def _is_item(lines: _Lines, index: int, config: InsertConfig) -> bool:
    """A list item or a short unpunctuated line: what follows a hot-list header or a post."""
    text = lines.paragraphs[index].text
    if _LIST_ITEM.match(text):
        return True
    if len(text) > config.short_line_chars or _SENTENCE_END.search(text):
        return False
    bigrams, known = int(lines.totals[index]), int(lines.knowns[index])
    return bigrams == 0 or known < config.news_vocabulary_min * bigrams


def _candidate_blocks(
    lines: _Lines, anchors: list[int], config: InsertConfig, seeds: list[int]
) -> list[list[int]]:
    """Runs between anchors (their indices, ascending) that contain a seed, from the first
    seed to the last one, widened over the list items or short lines next to them (a hot
    list's items, a post's lines)."""
    blocks: list[list[int]] = []
    covered = -1
    for seed in seeds:
        after = bisect_left(anchors, seed)
        if seed <= covered or (after < len(anchors) and anchors[after] == seed):
            continue
        low = anchors[after - 1] + 1 if after > 0 else 0
        high = anchors[after] - 1 if after < len(anchors) else len(lines) - 1
        inside = [i for i in seeds if low <= i <= high]
        start, end = inside[0], inside[-1]
        while start - 1 >= low and _is_item(lines, start - 1, config):
            start -= 1
        while end + 1 <= high and _is_item(lines, end + 1, config):
            end += 1
        blocks.append(list(range(start, end + 1)))
        covered = high
    return blocks


@dataclass(frozen=True)
class _Verdict:
    rule: str
    reasons: list[str]


def _judge(block: _Block, topic: float, config: InsertConfig) -> _Verdict | None:
    total = block.bigrams
    news = block.known_bigrams / total if total else None
    strong, weak = block.strong, block.weak
    off_topic = f"off-topic vocabulary (similarity to the article {topic:.2f})"
    if strong and topic < config.marked_topic_max:
        return _Verdict("QC201", [*strong, *weak, off_topic])
    unlike_news = news is not None and news < config.unmarked_news_max
    lines = block.last - block.first + 1
    enough = block.chars >= config.unmarked_min_chars and lines >= config.unmarked_min_lines
    if topic < config.unmarked_topic_max and unlike_news and enough:
        reasons = [*weak, off_topic, f"not news vocabulary ({news:.2f})"]
        return _Verdict("QC202", reasons)
    return None


def _count(lines: int) -> str:
    return "1 line" if lines == 1 else f"{lines} lines"


def _profiled_lines(
    doc: Document,
    totals: np.ndarray,
    knowns: np.ndarray,
    may_have_markers: dict[int, int],
    config: InsertConfig,
) -> _Lines:
    """The document's line profiles, those of the lines with markers to look for made now
    (`may_have_markers` maps them to the markers), the others when first read."""
    paragraphs = doc.paragraphs
    profiled = {
        i: _profile(paragraphs[i], int(totals[i]), int(knowns[i]), config, which)
        for i, which in may_have_markers.items()
    }
    return _Lines(paragraphs, totals, knowns, profiled, config)


# Above this many spans to try, `_reportable_spans` does not (long runs of short lines).
_SPANS_MAX = 10_000
# Spans are screened for their topic only while their bigrams add up to at most this many
# times the document's: the screen then costs at most a few passes over the document.
_SCREENED_BIGRAMS_PER_BIGRAM = 4


def _reportable_spans(
    seeds: list[int], lines: _Lines, config: InsertConfig
) -> list[tuple[int, int]] | None:
    """The spans (first, last line) that would be reported as a block of unmarked seeds
    (QC202) if their vocabulary were off the article's topic, decided without the TF-IDF
    vectors; None when there are too many to list. A block runs from a seed to the same or
    a later one, widened over the list items or short lines next to it; every such span is
    tried. Anchors can only cut spans shorter, so every block the detector can form is
    among those tried, and a document where no span reads unlike news, is long enough and
    leaves enough article behind has no block to report."""
    if len(seeds) ** 2 > 2 * _SPANS_MAX:
        return None
    size = len(lines)

    def items_before(seed: int) -> int:
        low = seed
        while low > 0 and _is_item(lines, low - 1, config):
            low -= 1
        return low

    def items_after(seed: int) -> int:
        high = seed
        while high + 1 < size and _is_item(lines, high + 1, config):
            high += 1
        return high

    lows, highs = {s: items_before(s) for s in seeds}, {s: items_after(s) for s in seeds}
    low, high = lows[seeds[0]], highs[seeds[-1]]  # every span lies in these lines
    if high - low + 1 < config.unmarked_min_lines:
        return []  # not even the widest span has enough lines (a lone seed, most often)
    widths = [(s - lows[s] + 1, highs[s] - s + 1) for s in seeds]
    spans = sum(
        widths[n][0] * widths[m][1] for n in range(len(seeds)) for m in range(n, len(seeds))
    )
    if spans > _SPANS_MAX:
        return None
    # Sums over lines low..high, by offset from `low`: the spans' lines, not the document's.
    bigrams = list(accumulate(lines.totals[low : high + 1].tolist(), initial=0))
    known = list(accumulate(lines.knowns[low : high + 1].tolist(), initial=0))
    texts = lines.paragraphs
    chars = list(accumulate((len(texts[i].text) for i in range(low, high + 1)), initial=0))
    document_bigrams = int(lines.totals.sum())
    # The tests of `_judge` and `detect` a span must pass, as plain numbers (this loop runs
    # tens of times a document).
    min_lines, min_chars = config.unmarked_min_lines, config.unmarked_min_chars
    news_max = config.unmarked_news_max
    most_bigrams = document_bigrams - config.min_article_bigrams
    found_spans: set[tuple[int, int]] = set()
    for n, first in enumerate(seeds):
        for last in seeds[n:]:
            for start in range(lows[first] - low, first - low + 1):
                for end in range(last - low, highs[last] - low + 1):
                    total = bigrams[end + 1] - bigrams[start]
                    if (
                        end - start + 1 >= min_lines
                        and 0 < total <= most_bigrams
                        and (known[end + 1] - known[start]) / total < news_max
                        and chars[end + 1] - chars[start] >= min_chars
                    ):
                        found_spans.add((start + low, end + low))
    found = sorted(found_spans)
    screened = sum(bigrams[end + 1 - low] - bigrams[start - low] for start, end in found)
    return found if screened <= _SCREENED_BIGRAMS_PER_BIGRAM * document_bigrams else None


def _on_topic(
    documents: Sequence[Document], spans: list[list[tuple[int, int]]], config: InsertConfig
) -> list[bool]:
    """For each document, whether every one of its reportable spans is surely too close to
    the rest of the document for `_judge` to report it (QC202 needs a cosine under
    `unmarked_topic_max`): those documents need no TF-IDF vectors. Most documents whose
    seeds are only unmarked ones (ordinary paragraphs short on news bigrams: names, figures,
    quotations) end here."""
    floors = rest_cosine_floors(
        [[p.norm for p in doc.paragraphs] for doc in documents],
        [np.array(own, dtype=np.int64).reshape(-1, 2) for own in spans],
    )
    return [bool((own >= config.unmarked_topic_max).all()) for own in floors]


def detect(
    doc: Document, config: InsertConfig, profiled: Profiled | None = None
) -> Iterator[Finding]:
    profiled = profiled or prepare([doc], config)[0]
    lines, seeds, vectors = profiled.lines, profiled.seeds, profiled.vectors
    if len(doc.paragraphs) < 2 or lines is None or seeds is None or vectors is None:
        return  # nothing looks inserted
    # The article is everything that does not look inserted by itself.
    topic = vectors.topic(seeds)
    anchors = _anchors(lines, topic, config)
    total_bigrams = int(lines.totals.sum())
    # Marked blocks are found first; unmarked ones only where no marked block already is.
    marked = _candidate_blocks(lines, anchors, config, profiled.marked)
    taken = {i for block in marked for i in block}
    unmarked = [
        b
        for b in _candidate_blocks(lines, anchors, config, profiled.unmarked)
        if not taken.intersection(b)
    ]
    for block_indices in sorted(marked + unmarked):
        block = lines.block(block_indices[0], block_indices[-1])
        if total_bigrams - block.bigrams < config.min_article_bigrams:
            continue  # too little article left to tell what is off its topic
        verdict = _judge(block, topic.block_to_rest(block.first, block.last), config)
        if verdict is None:
            continue
        first, last = lines.paragraphs[block.first], lines.paragraphs[block.last]
        count = _count(block.last - block.first + 1)
        yield finding(
            verdict.rule,
            line=first.line,
            end_line=last.line,
            message=f"{count} of inserted material: {', '.join(verdict.reasons)}",
            excerpt=first.text,
        )
