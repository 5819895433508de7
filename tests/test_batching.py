"""The batch fast paths against plain definitions: whatever the batch, the same findings.

The array passes (normalisation, keys, sentences, shared windows, vocabulary counts, layout
and insert screens) are each checked against a slow, obvious implementation of what they
compute, and whole checks of a batch against checks of each file alone.
"""

from __future__ import annotations

import gc
import random
import re
import unicodedata
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import qc
from qc.api import (
    _check_read,
    batches,
    check_document,
    check_documents,
    check_sources,
    collect,
    read_batches,
)
from qc.config import RepeatConfig
from qc.detectors import inserts, layout, repeats
from qc.render import RENDERERS, render
from qc.similarity import (
    LengthClasses,
    NearSearch,
    Pieces,
    Screened,
    Units,
    containment,
    first_copies,
    first_copies_of,
    length_classes,
    may_be_near,
    may_hold,
    may_repeat,
    near_candidates,
    opening_windows,
    screen,
    shared_windows,
    similarity,
)
from qc.text import (
    Decoded,
    Joined,
    build_document,
    build_documents,
    columns_of,
    fold_width,
    paragraph_columns,
    sentences_of_batch,
    split_sentences_of,
)
from qc.vocabulary import (
    ParagraphVectors,
    cosine_to_rest,
    cosines_to_rest,
    dot,
    news_bigrams,
    news_counts,
)

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "seeds"
NEWS = HERE / "data" / "news"

PIECES = st.sampled_from(
    [
        "改革开放四十年来，城市面貌发生了巨大变化。",
        "他说：“好。”",
        "增长8.4%。",
        "U.S.的数据.",
        "……",
        "？！",
        "」』）",
        "ＡＢＣ１２３",
        "Straße",
        "ΣΑΣ",
        "e\u0301",
        "\u3000",
        "\u200b",
        " ",
        "\n",
        "\r\n",
        "\r",
        "😀",
        "➤➤➤",
        "市。",
        "a.b",
        ".",
    ]
)
TEXTS = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map("".join))

# ---- plain definitions -------------------------------------------------------------------

_EDGES = re.compile("^[\\s\u200b\u200c\u200d\u2060\ufeff]+|[\\s\u200b\u200c\u200d\u2060\ufeff]+$")
_SENTENCE_END = re.compile(
    r"(?:[。！？!?；;…]+|(?<![0-9A-Za-z])\.(?![0-9A-Za-z]))[”’」』）)\]\"']*"
)


def plain_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def plain_paragraphs(text: str) -> list[tuple[int, str, str, str]]:
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for number, line in enumerate(lines, start=1):
        cleaned = _EDGES.sub("", line)
        if cleaned:
            norm = _EDGES.sub("", unicodedata.normalize("NFKC", line))
            out.append((number, cleaned, norm, plain_key(norm)))
    return out


def plain_sentences(norm: str) -> list[tuple[str, str]]:
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(norm):
        pieces.append(norm[start : end.end()])
        start = end.end()
    pieces.append(norm[start:])
    return [(piece, plain_key(piece)) for piece in pieces if plain_key(piece)]


# ---- text ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=6))
def test_a_batch_of_documents_is_each_text_normalised_alone(texts: list[str]):
    docs = build_documents([Decoded(text, f"{i}.txt") for i, text in enumerate(texts)])
    assert [d.path for d in docs] == [f"{i}.txt" for i in range(len(texts))]
    for doc, text in zip(docs, texts, strict=True):
        got = [(p.line, p.text, p.norm, p.key) for p in doc.paragraphs]
        assert got == plain_paragraphs(text)
        assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))
        assert doc.chars == sum(len(p.text) for p in doc.paragraphs)
    # The batch's columns are its paragraphs' forms laid end to end.
    gathered = columns_of([doc.paragraphs for doc in docs])
    assert (docs.columns.norms, docs.columns.keys) == (gathered.norms, gathered.keys)
    assert docs.columns.norm_lengths.tolist() == gathered.norm_lengths.tolist()
    assert docs.columns.key_lengths.tolist() == gathered.key_lengths.tolist()
    assert docs.columns.counts == gathered.counts
    # A slice of a batch is a plain list, whose columns are gathered again.
    assert paragraph_columns(docs[1:]).counts == gathered.counts[1:]


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=6))
def test_sentences_of_a_batch_are_each_paragraphs_sentences(texts: list[str]):
    docs = build_documents([Decoded(text) for text in texts])
    batch = sentences_of_batch(docs.columns)
    for doc, found in zip(docs, batch.documents, strict=True):
        expected = [
            (text, key, p.index) for p in doc.paragraphs for text, key in plain_sentences(p.norm)
        ]
        assert list(zip(found.texts, found.keys, found.paragraphs, strict=True)) == expected
    # The batch-wide arrays the screen reads say the same.
    keys = [key for found in batch.documents for key in found.keys]
    assert batch.joined_keys == "".join(keys)
    assert batch.key_lengths.tolist() == [len(key) for key in keys]
    firsts = list(accumulate((len(d.paragraphs) for d in docs), initial=0))
    owners = [
        first + own
        for found, first in zip(batch.documents, firsts, strict=False)
        for own in found.paragraphs
    ]
    assert batch.paragraph_of.tolist() == owners


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_fold_width_replaces_exactly_the_wide_forms(text: str):
    expected = re.sub(
        "[\uff01-\uff5e\u3000]",
        lambda m: " " if m.group() == "\u3000" else chr(ord(m.group()) - 0xFEE0),
        text,
    )
    assert fold_width(text) == expected


def test_empty_batches():
    assert build_documents([]) == []
    assert split_sentences_of([]) == []
    assert check_documents([], qc.Config()) == []


# ---- repeats: the shared-window screen -----------------------------------------------------


def plain_shared(
    texts: list[str],
    ngram: int,
    scopes: list[int],
    unit: list[int],
    near_in_length: Callable[[int, int], bool] = lambda own, other: True,
) -> list[int]:
    """Windows of the texts laid end to end, each owned by the text it starts in; a window is
    shared when the same characters start in another unit of the same scope (one for which
    `near_in_length(own unit, other unit)` holds)."""
    whole = "".join(texts)
    owner = [i for i, text in enumerate(texts) for _ in text]
    starts = range(len(whole) - ngram + 1)
    seen: dict[tuple[str, int], set[int]] = {}
    for at in starts:
        seen.setdefault((whole[at : at + ngram], scopes[owner[at]]), set()).add(unit[owner[at]])
    counts = [0] * (max(unit) + 1 if unit else 0)
    for at in starts:
        own = unit[owner[at]]
        others = seen[whole[at : at + ngram], scopes[owner[at]]] - {own}
        if any(near_in_length(own, other) for other in others):
            counts[own] += 1
    return counts


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="甲乙丙丁戊", max_size=12), min_size=1, max_size=8),
    st.sampled_from([0.5, 0.8, 0.9]),
    st.data(),
)
def test_shared_windows_count_what_they_say(texts: list[str], near: float, data: st.DataObject):
    scopes = sorted(
        data.draw(st.lists(st.integers(0, 2), min_size=len(texts), max_size=len(texts)))
    )
    pairs = sorted(data.draw(st.lists(st.integers(0, 3), min_size=len(texts), max_size=len(texts))))
    units = [scope * 4 + pair for scope, pair in zip(scopes, pairs, strict=True)]
    ident = list(range(len(texts)))
    text_lengths = [len(t) for t in texts]
    unit_lengths = np.bincount(units, text_lengths, minlength=max(units) + 1)
    text_classes = length_classes(np.array(text_lengths), near)
    unit_classes = length_classes(unit_lengths, near)

    def near_class(classes: LengthClasses) -> Callable[[int, int], bool]:
        return lambda own, other: bool(classes.near[own] >> np.uint64(classes.classes[other]) & 1)

    got = shared_windows(
        texts,
        3,
        np.array(scopes),
        [
            Units(np.array(ident), len(texts)),
            Units(np.array(units), max(units) + 1),
            Units(np.array(ident), len(texts), text_classes),
            Units(np.array(units), max(units) + 1, unit_classes),
        ],
    )
    assert got[0].tolist() == plain_shared(texts, 3, scopes, ident)
    assert got[1].tolist() == plain_shared(texts, 3, scopes, units)
    assert got[2].tolist() == plain_shared(texts, 3, scopes, ident, near_class(text_classes))
    assert got[3].tolist() == plain_shared(texts, 3, scopes, units, near_class(unit_classes))


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000), st.sampled_from([0.5, 0.8, 0.9, 0.95, 1.0]))
def test_length_classes_hold_every_near_length(a: int, b: int, near: float):
    """Texts of lengths a and b can be `near` alike (Indel) only when |a - b| <= (1 - near)
    (a + b); then b's class is among a's near classes."""
    if abs(a - b) > (1 - near) * (a + b) + 1e-9:
        return
    classes = length_classes(np.array([a, b]), near)
    assert classes.near[0] >> np.uint64(classes.classes[1]) & np.uint64(1)


def test_the_screen_counts_only_windows_shared_with_texts_of_a_near_length():
    """A sentence whose every window recurs, but only inside a far longer paragraph, has no
    near copy: the plain count lets it through, the count by length does not."""
    search = NearSearch(64, 3, 0.5, 0.9, 6, 32)
    sentence = "今年粮食产量再创新高"
    texts = [sentence, "据统计" + sentence + "，城市轨道交通运营里程也稳步增长"]
    scopes = np.zeros(2, dtype=np.int64)
    (plain,) = shared_windows(texts, 3, scopes, [Units(np.arange(2), 2)])
    assert plain[0] == len(sentence) - 2
    assert near_candidates([texts], search) == [[]]
    assert near_candidates([[*texts, sentence + "了"]], search) == [[0, 2]]


def _edit(text: str, rng: random.Random, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        kind, at = rng.random(), rng.randrange(len(chars) + 1)
        if kind < 0.4 and at < len(chars):
            chars[at] = rng.choice("甲乙丙丁戊己庚辛")
        elif kind < 0.7 and at < len(chars):
            del chars[at]
        else:
            chars.insert(at, rng.choice("甲乙丙丁戊己庚辛"))
    return "".join(chars)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9), st.integers(6, 120), st.integers(0, 14))
def test_the_screen_never_drops_a_near_copy(seed: int, length: int, edits: int):
    """Any two texts within the similarity threshold both pass `may_be_near`, whatever the
    rest of the group holds (the bound is proved in `may_be_near`; this checks it)."""
    rng = random.Random(seed)
    base = "".join(
        rng.choice("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏") for _ in range(length)
    )
    copy = _edit(base, rng, edits)
    search = NearSearch(64, 3, 0.5, 0.9, 6, 32)
    if similarity(base, copy) < search.min_similarity or len(copy) < search.min_chars:
        return
    (candidates,) = near_candidates([[base, "完全无关的一句话", copy]], search)
    assert {0, 2} <= set(candidates)


def test_the_screen_drops_text_that_shares_nothing():
    search = NearSearch(64, 3, 0.5, 0.9, 6, 32)
    texts = ["今年粮食产量再创新高", "城市轨道交通运营里程", "今年粮食产量再创新高了"]
    assert near_candidates([texts], search) == [[0, 2]]
    assert first_copies([texts], search) == [[-1, -1, 0]]
    # 30 characters within 0.9: at most 6 edits, each breaking at most 3 of the 28 windows.
    lengths, shared = np.array([30, 30]), np.array([9, 10])
    assert may_be_near(lengths, shared, 0.9, 3, 6).tolist() == [False, True]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁", max_size=7), max_size=12), st.integers(2, 4))
def test_the_screen_never_drops_an_exact_copy(texts: list[str], ngram: int):
    """Texts short and alike, so that many share windows without being copies: the screened
    first copies equal those found by hashing every text, and both copies of a text pass."""
    texts = [t for t in texts if t]
    search = NearSearch(64, ngram, 0.5, 0.9, 3, 32)
    screened = screen([texts], search)
    for position, text in enumerate(texts):
        if texts.count(text) > 1:
            assert position in screened.exact[0]
    everything = Screened(screened.near, [list(range(len(texts)))])
    assert first_copies([texts], search, screened) == first_copies([texts], search, everything)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="甲乙丙丁戊", max_size=12), max_size=8), min_size=1, max_size=3
    ),
    st.randoms(use_true_random=False),
)
def test_first_copies_of_interleaved_groups(groups: list[list[str]], rng: random.Random):
    """Pieces of one text, their groups interleaved at random, find the copies each group
    finds alone: a group's pieces only need to keep their own order."""
    search = NearSearch(64, 3, 0.5, 0.8, 3, 32)
    order = [g for g, group in enumerate(groups) for _ in group]
    rng.shuffle(order)
    taken = [0] * len(groups)
    laid: list[tuple[int, int]] = []  # (group, position in it), in the shuffled order
    for g in order:
        laid.append((g, taken[g]))
        taken[g] += 1
    texts = [groups[g][p] for g, p in laid]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    pieces = Pieces("".join(texts), np.cumsum(lengths) - lengths, lengths, np.array(order))
    everything = np.ones(len(texts), dtype=bool)
    roots = first_copies_of(pieces, everything, everything, search).tolist()
    flat_of = {at: i for i, at in enumerate(laid)}
    alone = [first_copies([group], search, _everything(group))[0] for group in groups]
    got = [
        [-1 if r < 0 else laid[r][1] for r in (roots[flat_of[g, p]] for p in range(len(group)))]
        for g, group in enumerate(groups)
    ]
    assert got == alone


def _everything(texts: list[str]) -> Screened:
    return Screened([list(range(len(texts)))], [list(range(len(texts)))])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁戊", max_size=12), min_size=1, max_size=6), st.data())
def test_opening_windows_count_what_they_say(texts: list[str], data: st.DataObject):
    index = st.integers(0, len(texts) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=8))
    anywhere = data.draw(st.booleans())
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    got = opening_windows(
        "".join(texts),
        np.cumsum(lengths) - lengths,
        lengths,
        np.array([a for a, _ in pairs], dtype=np.int64),
        np.array([b for _, b in pairs], dtype=np.int64),
        3,
        anywhere,
    )
    expected = []
    for a, b in pairs:
        own, opening = texts[a], texts[b] if anywhere else texts[b][: len(texts[a])]
        theirs = {opening[i : i + 3] for i in range(len(opening) - 2)}
        expected.append(sum(own[i : i + 3] in theirs for i in range(len(own) - 2)))
    assert got.tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 10**9), st.integers(20, 90), st.integers(0, 12), st.integers(0, 40), st.data()
)
def test_the_containment_screen_never_drops_a_piece(
    seed: int, length: int, edits: int, around: int, data: st.DataObject
):
    """Whenever rapidfuzz finds a near copy of a piece inside a longer text, `may_hold` lets
    the pair through (the bound is `may_be_near`'s); and with nothing in common, it does not."""
    rng = random.Random(seed)
    chars = data.draw(st.sampled_from(["天地玄黄宇宙洪荒日月盈昃辰宿列张", "甲乙丙丁", "ab"]))
    piece = "".join(rng.choice(chars) for _ in range(length))
    before = "".join(rng.choice(chars) for _ in range(rng.randint(0, around)))
    long = before + _edit(piece, rng, edits) + "".join(rng.choice(chars) for _ in range(around))
    if len(long) <= len(piece):
        return
    near = RepeatConfig().near_similarity
    if containment(piece, long, near) >= near:
        assert may_hold(piece, long, near, 3)
    assert not may_hold(piece, "金生丽水玉出昆冈" * 20, near, 3)


def _repeat_openers(paragraphs: list[str]) -> dict[int, list[int]]:
    (matched,) = repeats.prepare([build_document("\n".join(paragraphs))], RepeatConfig())
    return matched.openers


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9), st.integers(30, 120), st.integers(0, 14), st.integers(1, 2))
def test_the_opener_screen_never_drops_an_opening(seed: int, length: int, edits: int, gap: int):
    """A paragraph that opens with a near copy of one just before it is always paired with
    it, whatever lies between (the bound is `may_be_near`'s)."""
    rng = random.Random(seed)
    chars = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏"
    earlier = "".join(rng.choice(chars) for _ in range(length))
    later = _edit(earlier, rng, edits) + "，闰余成岁律吕调阳云腾致雨露结为霜。"
    between = ["金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜"] * (gap - 1)
    size = len(earlier)
    if len(later) <= size or similarity(earlier, later[:size]) < RepeatConfig().near_similarity:
        return
    assert _repeat_openers([earlier, *between, later]).get(gap) == [0]


def test_the_opener_screen_pairs_only_real_openings():
    """The first paragraph's halves recur in both later ones, so it shares every window within
    the article; but neither later paragraph opens with it, and nothing is paired."""
    half, other_half = (
        "国家统计局今天发布数据显示全国粮食总产量再创新高",
        "城市轨道交通运营里程继续保持世界第一",
    )
    first = half + other_half
    second = "记者从有关方面获悉，今年以来各地加快建设步伐，新开通线路多条。" + other_half + "。"
    third = "专家介绍说，这是连续多年稳定增长的结果，各地各部门的努力功不可没。" + half + "。"
    assert len(first) < min(len(second), len(third))  # longer: only the windows can tell
    assert _repeat_openers([first, second, third]) == {}
    assert _repeat_openers([first, first + "这一成绩来之不易。"]) == {1: [0]}


def test_the_screen_hashes_only_texts_whose_windows_are_all_shared():
    search = NearSearch(64, 3, 0.5, 0.9, 6, 32)
    texts = ["今年粮食产量再创新高", "城市轨道交通运营里程", "今年粮食产量再创新高", "短"]
    assert screen([texts], search).exact == [[0, 2, 3]]
    # 10 characters: 8 windows wholly inside, all of which a copy shares.
    assert may_repeat(np.array([10, 10, 2]), np.array([8, 7, 0]), 3).tolist() == [True, False, True]


# ---- inserts: vocabulary ------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, max_size=5))
def test_news_counts_match_the_table(texts: list[str]):
    table = news_bigrams()
    totals, knowns = news_counts(Joined.of(texts))
    for text, total, known in zip(texts, totals.tolist(), knowns.tolist(), strict=True):
        pairs = [
            text[i : i + 2]
            for i in range(len(text) - 1)
            if all("\u4e00" <= c <= "\u9fff" for c in text[i : i + 2])
        ]
        assert total == len(pairs)
        assert known == sum(table.knows(pair) for pair in pairs)


def test_vectors_of_a_batch_are_each_documents_vectors():
    docs = [
        [p.norm for p in build_document(path.read_text("utf-8")).paragraphs]
        for path in sorted(NEWS.glob("*.txt"))
    ]
    for alone, together in zip(
        [ParagraphVectors.of(texts) for texts in docs],
        ParagraphVectors.of_documents(docs),
        strict=True,
    ):
        assert alone.paragraphs == together.paragraphs
        assert alone.vocabulary == together.vocabulary
        for name in ("rows", "columns", "weights"):
            assert np.array_equal(getattr(alone, name), getattr(together, name))


# ---- whole checks ---------------------------------------------------------------------------


def _sample_documents() -> list[qc.model.Document]:
    paths = sorted(SEEDS.glob("*.txt")) + sorted(NEWS.glob("*.txt"))
    paths += sorted((HERE / "data" / "cases").glob("*.txt"))
    return [build_document(path.read_text("utf-8"), str(path)) for path in paths]


def test_a_batch_finds_what_each_file_alone_finds():
    docs = _sample_documents()
    config = qc.Config()
    together = check_documents(docs, config)
    alone = [check_document(doc, config) for doc in docs]
    assert together == alone
    assert any(report.findings for report in together)


def test_layout_screen_keeps_every_paragraph_a_rule_could_flag():
    config = qc.Config().layout
    docs = _sample_documents()
    for doc, worth_a_look in zip(docs, layout.prepare(docs, config), strict=True):
        assert list(layout.detect(doc, config, worth_a_look)) == list(
            layout.detect(doc, config, None)
        )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PIECES, min_size=1, max_size=8).map("".join), min_size=2, max_size=12))
def test_layout_screen_on_arbitrary_lines(lines: list[str]):
    config = qc.Config().layout
    doc = build_document("\n".join(lines))
    (worth_a_look,) = layout.prepare([doc], config)
    assert list(layout.detect(doc, config, worth_a_look)) == list(layout.detect(doc, config, None))


def test_inserts_prepared_in_a_batch_are_the_same_as_alone():
    config = qc.Config().insert
    docs = _sample_documents()
    for doc, profiled in zip(docs, inserts.prepare(docs, config), strict=True):
        assert list(inserts.detect(doc, config, profiled)) == list(inserts.detect(doc, config))


@pytest.mark.parametrize("per_batch", [1, 3, 64])
def test_batch_size_does_not_change_reports_and_errors_keep_their_place(
    tmp_path: Path, per_batch: int
):
    sources_dir = tmp_path / "in"
    sources_dir.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        (sources_dir / path.name).write_bytes(path.read_bytes())
    (sources_dir / "001a_empty.txt").write_bytes(b"")
    (sources_dir / "002a_binary.txt").write_bytes(b"\x00\x01\x02binary")
    (sources_dir / "003a_gbk.txt").write_bytes("新闻正文，内容完整。".encode("gb18030"))
    # Texts with a character beyond the BMP are checked apart from the others: in between.
    repeated = "记者从市交通运输局获悉，今年全市新开通公交线路十二条😀，方便了沿线居民出行。"
    wide = f"{repeated}\n{repeated}\n"
    (sources_dir / "000a_wide.txt").write_text(wide, encoding="utf-8")
    (sources_dir / "004a_wide.txt").write_text("正文，内容完整。𠀀\n", encoding="utf-8")
    config = qc.Config()
    sources = collect([str(sources_dir)], config)
    assert [len(b) for b in batches(sources, per_batch)] == [
        min(per_batch, len(sources) - i) for i in range(0, len(sources), per_batch)
    ]
    reference = [
        qc.check_bytes(Path(s.path).read_bytes(), path=s.path, config=config) for s in sources
    ]
    run = check_sources(sources, config=config)
    assert list(run.files) == reference
    assert [r.status for r in run.files].count("error") == 2
    assert next(r for r in run.files if r.path.endswith("000a_wide.txt")).findings
    # Batches cut as files are read: the same files, and as many bytes, as `batches` cuts.
    for max_bytes in (1, 2_000, 10**9):
        read = list(read_batches(sources, config, max_files=per_batch, max_bytes=max_bytes))
        cut = batches(sources, per_batch, max_bytes)
        assert [len(b) for b in read] == [len(b) for b in cut]
        reports = [r for b in read for r in _check_read(b, config, None)]
        assert reports == reference


def test_a_range_of_paragraphs_sums_to_the_same_bits_as_choosing_them():
    docs = _sample_documents()
    for doc in docs:
        texts = [p.norm for p in doc.paragraphs]
        if len(texts) < 3:
            continue
        vectors = ParagraphVectors.of(texts)
        for first, last in [(0, 0), (1, len(texts) - 2), (len(texts) // 2, len(texts) - 1)]:
            chosen = np.zeros(len(texts), dtype=bool)
            chosen[first : last + 1] = True
            assert np.array_equal(vectors.range_total(first, last), vectors.total(chosen))


_WEIGHT = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(st.lists(st.tuples(_WEIGHT, _WEIGHT), max_size=40))
def test_dot_products_are_summed_in_order(pairs: list[tuple[float, float]]):
    a, b = (
        (np.array(column, dtype=np.float64) for column in zip(*pairs, strict=True))
        if pairs
        else (np.zeros(0), np.zeros(0))
    )
    expected = 0.0
    for x, y in pairs:
        expected += x * y
    assert dot(a, b) == expected


@given(
    st.lists(st.tuples(_WEIGHT, st.floats(0, 1e6), st.booleans()), max_size=30),
    st.floats(0, 1e7),
)
@example([(1.0, 1.0, False), (1.0, 0.0, False), (2.0, 1.0, True)], 5e-7)  # near the 0 bounds
@example([(0.0, 5e-324, False)], 0.5)  # |part|² |rest|² underflows to 0
def test_cosines_of_many_parts_are_the_scalar_cosines_bit_for_bit(parts, whole2):
    shared, part2, inside = (
        (np.array(column) for column in zip(*parts, strict=True))
        if parts
        else (
            np.zeros(0),
            np.zeros(0),
            np.zeros(0, dtype=bool),
        )
    )
    expected = [cosine_to_rest(s, p, whole2, bool(i)) for s, p, i in parts]
    assert cosines_to_rest(shared, part2, whole2, inside.astype(bool)) == expected


def _unmarked(line: str) -> str:
    """A post with its markers taken out: unlike news, but nothing that marks it."""
    line = re.sub(r"#[^#]*#|\[[^\]]*\]|//@\S*|@\S+|t\.cn/\w+|[!！～~]", "", line)
    return line.strip() or "姐妹们冲鸭今晚打榜数据不能输谁懂啊"


def _insert_pools() -> tuple[list[list[str]], list[str]]:
    """News articles (their body lines), and lines of posts, hot lists and ads without their
    markers."""
    news = [
        [line.strip() for line in path.read_text("utf-8").splitlines()[1:] if line.strip()]
        for path in sorted(NEWS.glob("*.txt"))
    ]
    odd = [
        _unmarked(line)
        for name in ("posts.txt", "hot_topics.txt", "ads.txt")
        for line in (HERE / "data" / "inserts" / name).read_text("utf-8").splitlines()
        if line.strip()
    ]
    return news, odd


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_unmarked_blocks_are_never_pruned_when_one_could_be_reported(data: st.DataObject):
    """`_reportable_spans` and the topic screen skip the TF-IDF pass for documents whose
    unmarked seeds can form no reportable block; with both switched off, the findings are
    the same. The documents are news articles with runs of unmarked material pasted in,
    often right at the size where a run becomes reportable."""
    articles, odd = _insert_pools()
    article = data.draw(st.sampled_from(articles))
    lines = article[: data.draw(st.integers(1, len(article)))]
    # A pasted line is one post's line or a few run together (long lines make two-line runs
    # long enough to report).
    pasted = st.one_of(
        st.sampled_from(odd), st.lists(st.sampled_from(odd), min_size=2, max_size=3).map("，".join)
    )
    runs = st.tuples(st.integers(0, len(lines)), st.lists(pasted, max_size=5))
    for at, run in data.draw(st.lists(runs, max_size=3)):
        lines[at:at] = run
    doc = build_document("\n".join(lines))
    config = qc.Config().insert
    pruned = list(inserts.detect(doc, config))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inserts, "_reportable_spans", lambda *_: None)  # too many to list
        assert list(inserts.detect(doc, config)) == pruned


def test_the_unmarked_block_check_prunes_and_keeps():
    """Both answers occur on real material, so the test above compares something."""
    articles, odd = _insert_pools()
    news = articles[0]
    config = qc.Config().insert
    lone = build_document("\n".join([*news[:8], odd[0], *news[8:]]))
    block = build_document("\n".join([*news[:8], *odd[:6], *news[8:]]))
    assert inserts.prepare([lone], config)[0].lines is None
    assert inserts.prepare([block], config)[0].lines is not None
    assert [f.rule for f in inserts.detect(block, config)] == ["QC202"]
    # The smallest reportable run: two lines (`unmarked_min_lines`).
    pair = build_document(
        "\n".join([*news[:8], "，".join(odd[:3]), "，".join(odd[3:6]), *news[8:]])
    )
    assert [(f.rule, f.end_line - f.line + 1) for f in inserts.detect(pair, config)] == [
        ("QC202", 2)
    ]


def test_the_topic_screen_clears_real_articles_and_only_those_with_nothing_to_report():
    """Real articles hold runs of lines that read unlike news (names, figures, quotations)
    and are long enough to report: the topic screen finds them on topic without TF-IDF
    vectors. With the screen off, they get vectors and still no finding."""
    articles, _ = _insert_pools()
    config = qc.Config().insert
    cleared = 0
    for article in articles:
        doc = build_document("\n".join(article))
        screened = inserts.prepare([doc], config)[0]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(inserts, "_on_topic", lambda docs, *_: [False] * len(docs))
            unscreened = inserts.prepare([doc], config)[0]
        if screened.lines is None and unscreened.lines is not None:
            cleared += 1
            assert list(inserts.detect(doc, config, unscreened)) == []
    assert cleared >= 1


def test_finished_reports_are_kept_out_of_garbage_collections_during_a_run(tmp_path: Path):
    for number in range(3):  # three batches of one file
        (tmp_path / f"{number}.txt").write_text("第一段。\n第二段。\n", encoding="utf-8")
    config = qc.Config()
    frozen_during: list[int] = []
    sources = collect([str(tmp_path)], config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("qc.api.batches.__defaults__", (1, 1_000_000))
        run = check_sources(
            sources, config=config, progress=lambda _: frozen_during.append(gc.get_freeze_count())
        )
    assert len(frozen_during) == 3 and min(frozen_during) > 0  # frozen while it runs
    assert gc.get_freeze_count() == 0  # and unfrozen when the run ends
    seen: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(
            RENDERERS, "probe", lambda report, color: str(seen.append(gc.get_freeze_count()))
        )
        render(run, "probe")
    assert seen[0] > 0 and gc.get_freeze_count() == 0  # the same while it is rendered


def test_a_callers_frozen_objects_are_left_alone():
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        qc.check_paths([str(SEEDS)])
        assert gc.get_freeze_count() > 0  # not unfrozen (objects freed since do leave it)
    finally:
        gc.unfreeze()
