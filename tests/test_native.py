"""The C passes (qc/_native.c) against their numpy twins: the same results on any text.

Findings must not depend on whether the extension was built; tests/test_batching.py holds the
twins to plain definitions. CI builds the extension, so there these tests always run.
"""

from __future__ import annotations

import contextlib
import os
import random
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qc import similarity, text, vocabulary
from qc.api import check_document
from qc.config import Config
from qc.detectors import inserts
from qc.model import Paragraph
from qc.native import native
from qc.text import Joined, build_document

pytestmark = pytest.mark.skipif(native is None, reason="qc._native was not built")

HERE = Path(__file__).resolve().parent
_MODULES = (text, vocabulary, similarity, inserts)
T = TypeVar("T")

PIECES = st.sampled_from(
    [
        "改革开放四十年来，城市面貌发生了巨大变化。",
        "他说：“好。”」』）",
        "增长8.4%。U.S.的数据. a.b .",
        "……？！!?；;",
        "ＡＢＣ１２３\u3000ｶﾀｶﾅ①",
        "Straße ΣΑΣ İ ǅ",
        "e\u0301\u0308",
        "\u200b\ufeff",
        "😀𝐀𠀀𐐀",  # emoji, a mathematical letter, a rare ideograph, Deseret (cased, astral)
        "\n",
        "➤➤➤ 市。",
        "#话题# @某人 [哈哈] t.cn/abc",
    ]
)
TEXTS = st.one_of(st.text(max_size=120), st.lists(PIECES, max_size=30).map("".join))


@contextlib.contextmanager
def numpy_only() -> Iterator[None]:
    """Run the numpy twins: what qc does where the extension is missing."""
    saved = [module.native for module in _MODULES]
    for module in _MODULES:
        module.native = None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, value in zip(_MODULES, saved, strict=True):
            module.native = value  # type: ignore[attr-defined]


def both(compute: Callable[[], T]) -> tuple[T, T]:
    with numpy_only():
        slow = compute()
    return compute(), slow


def test_the_extension_is_in_use_unless_asked_not_to():
    assert os.environ.get("QC_PURE") != "1"
    assert all(module.native is native for module in _MODULES)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalisation_and_keys(sample: str):
    fast, slow = both(lambda: text._normal_and_keys(sample))
    assert fast == slow


def _every_bmp_character(seed: int) -> str:
    """Every BMP character but NUL and the surrogates, in a shuffled order."""
    points = [c for c in range(1, 0x10000) if not 0xD800 <= c <= 0xDFFF]
    random.Random(seed).shuffle(points)
    return "".join(map(chr, points))


def test_folding_every_bmp_character_in_any_place_of_a_block():
    # Two-byte text is scanned sixteen characters at a time (where AVX2 is there) until a
    # block holds one that is not plain: every BMP character, shuffled; and Chinese-like
    # copy with full-width forms and ideographic spaces, then one character NFKC changes
    # (a ligature) or expands (…) at each place of two blocks.
    every = _every_bmp_character(4)
    fast, slow = both(lambda: text._normal_and_keys(every))
    assert fast == slow
    copy = "新闻稿ＡＢｃ，１２３。\u3000改革“开放”！" * 4
    for odd in ("\ufb01", "…", "Ⅻ"):
        for at in range(40):
            piece = copy[:at] + odd + copy[at:]
            fast_piece, slow_piece = both(lambda: text._normal_and_keys(piece))  # noqa: B023
            assert fast_piece == slow_piece
    assert text.nfkc(copy) == unicodedata.normalize("NFKC", copy)
    # Blocks the vector loop takes whole: what they change and the widest they write.
    for odd in ("Ａ", "\u3000", "鿿"):
        for at in range(64):
            piece = "中" * at + odd + "中" * (63 - at)
            assert text.nfkc(piece) == unicodedata.normalize("NFKC", piece)
    assert text.nfkc("Ａｂ" * 40) == "Ab" * 40  # one-byte text out of two-byte text


def test_keys_of_every_bmp_character_in_any_place_of_a_block():
    # Two-byte text is kept or dropped sixteen characters at a time (where AVX2 is there):
    # every BMP character, shuffled, then Chinese-like copy (Han, both cases of ASCII letters,
    # digits, CJK and ASCII punctuation, line breaks) cut at every length up to two blocks.
    every = _every_bmp_character(3)
    fast, slow = both(lambda: text._keys_of(every))
    assert fast == slow
    copy = "新闻稿Ab，UN。3月\n“改革”、GDP增长7.5%《报告》——ZZ\n" * 3
    for size in range(len(copy) + 1):
        piece = "中" + copy[:size]  # two-byte from the start, so its keys are too
        fast_key, slow_key = both(lambda: text._keys_of(piece))  # noqa: B023 (used at once)
        assert fast_key == slow_key
        assert native is not None
        assert native.keys(piece, text._char_table())[1] is False  # nothing beyond A-Z to fold
    assert native is not None
    assert native.keys("中" * 40 + "É" + "中" * 40, text._char_table())[1] is True


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS.map(lambda t: t.replace("\n", " ")), max_size=8).map("\n".join))
def test_sentence_spans(joined: str):
    fast, slow = both(lambda: text._sentence_spans(joined))
    assert fast.words == slow.words
    for got, want in zip(fast[:5], slow[:5], strict=True):
        assert got.tolist() == want.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=8))
def test_news_counts(texts: list[str]):
    fast, slow = both(lambda: vocabulary.news_counts(Joined.of(texts)))
    assert [a.tolist() for a in fast] == [a.tolist() for a in slow]


# Known and unknown bigrams, repeated within and across paragraphs.
HAN = st.lists(
    st.one_of(TEXTS, st.text(alphabet="经济发展改革中国人民的了鑫龘", max_size=30)), max_size=6
)


@settings(max_examples=200, deadline=None)
@given(st.lists(HAN, max_size=5))
def test_paragraph_vectors(documents: list[list[str]]):
    fast, slow = both(lambda: vocabulary.ParagraphVectors.of_documents(documents))
    assert len(fast) == len(slow) == len(documents)
    for mine, theirs in zip(fast, slow, strict=True):
        assert (mine.paragraphs, mine.vocabulary) == (theirs.paragraphs, theirs.vocabulary)
        assert mine.rows.tolist() == theirs.rows.tolist()
        assert mine.columns.tolist() == theirs.columns.tolist()
        assert mine.weights.tolist() == theirs.weights.tolist()  # exactly, not approximately
        assert mine.rows.dtype == theirs.rows.dtype and mine.weights.dtype == theirs.weights.dtype


@settings(max_examples=200, deadline=None)
@given(HAN.filter(bool), st.data())
def test_topic_cosines(paragraphs: list[str], data: st.DataObject):
    size = len(paragraphs)
    outside = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    first = data.draw(st.integers(0, size - 1))
    last = data.draw(st.integers(first, size - 1))

    def topic() -> tuple[list[float], list[float], float, float]:
        found = vocabulary.ParagraphVectors.of(paragraphs).topic(outside)
        cosine = found.block_to_rest(first, last)
        return found.line_cosines.tolist(), found.document.tolist(), found.document2, cosine

    fast, slow = both(topic)
    assert fast == slow  # exactly, not approximately


@settings(max_examples=200, deadline=None)
@given(st.lists(HAN.filter(bool), max_size=4), st.data())
def test_rest_cosine_floors(documents: list[list[str]], data: st.DataObject):
    """Both builds give a floor under the cosine the topic computes, whatever the build, and
    a close one: the screen clears a document only when no block of it can be off-topic."""
    spans = []
    for paragraphs in documents:
        size = len(paragraphs)
        firsts = data.draw(st.lists(st.integers(0, size - 1), max_size=4))
        spans.append(
            np.array([(f, data.draw(st.integers(f, size - 1))) for f in firsts], dtype=np.int64)
        )

    def cosines() -> list[list[float]]:
        vectors = vocabulary.ParagraphVectors.of_documents(documents)
        ones = [np.zeros(v.paragraphs, dtype=bool) for v in vectors]
        topics = [v.topic(outside) for v, outside in zip(vectors, ones, strict=True)]
        return [
            [topic.block_to_rest(first, last) for first, last in own.tolist()]
            for topic, own in zip(topics, spans, strict=True)
        ]

    exact = cosines()  # the same in both builds (test_topic_cosines)
    fast, slow = both(lambda: [f.tolist() for f in vocabulary.rest_cosine_floors(documents, spans)])
    for mine, theirs, cosine in zip(fast, slow, exact, strict=True):
        assert len(mine) == len(theirs) == len(cosine)
        for a, b, c in zip(mine, theirs, cosine, strict=True):
            assert a <= c and b <= c
            assert c - min(a, b) < 1e-9 or min(a, b) == -np.inf


@pytest.mark.parametrize("span", [[0, 2], [1, 0], [-1, 0]])
def test_rest_cosine_floors_refuses_bad_spans(span: list[int]):
    bad = [np.array([span], dtype=np.int64)]
    for build in (contextlib.nullcontext(), numpy_only()):
        with build, pytest.raises(ValueError, match="span"):
            vocabulary.rest_cosine_floors([["经济发展", "改革"]], bad)
    known = vocabulary.native_vocabulary(vocabulary.news_bigrams())
    with pytest.raises(ValueError, match="span"):  # the C pass checks on its own too
        native.rest_cosine_floors(["经济发展", "改革"], [2], bad[0], [1], known)


# Short texts on a few characters (one astral): windows recur often, and no hash collides.
WINDOW_TEXTS = st.lists(st.text(alphabet="甲乙丙丁戊😀", max_size=14), min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(WINDOW_TEXTS, st.integers(1, 5), st.sampled_from([0.0, 0.5, 0.8, 0.9, 1.0]), st.data())
def test_shared_windows(texts: list[str], ngram: int, near: float, data: st.DataObject):
    """Exact for n <= 3; numpy's 32-bit rolling hash may collide, so beyond that the C
    count (a 64-bit hash) may only be lower or equal; on this alphabet both are exact.
    Units of the second and third kind are the same; the third counts by length class."""
    count = len(texts)
    scopes = np.array(
        sorted(data.draw(st.lists(st.integers(0, 2), min_size=count, max_size=count)))
    )
    pairs = sorted(data.draw(st.lists(st.integers(0, 3), min_size=count, max_size=count)))
    units = np.array([scope * 4 + pair for scope, pair in zip(scopes.tolist(), pairs, strict=True)])
    size = int(units.max()) + 1
    unit_lengths = np.bincount(units, [len(t) for t in texts], minlength=size)
    maps = [
        similarity.Units(np.arange(count), count),
        similarity.Units(units, size),
        similarity.Units(units, size, similarity.length_classes(unit_lengths, near)),
    ]
    fast, slow = both(lambda: similarity.shared_windows(texts, ngram, scopes, maps))
    assert [a.tolist() for a in fast] == [a.tolist() for a in slow]


def test_shared_windows_refuses_bad_classes():
    lengths, scopes, units = np.array([3, 3]), np.zeros(2, np.int64), np.array([0, 1])
    classes = (np.zeros(2, np.uint8), np.ones(2, np.uint64))
    ok = native.shared_windows("甲乙丙甲乙丙", lengths, 3, scopes, [units], [2], [classes])
    assert np.frombuffer(ok[0], np.int64).tolist() == [1, 1]
    for bad in (
        [classes, None],  # one entry per kind
        [(np.full(2, 64, np.uint8), np.ones(2, np.uint64))],  # a class beyond the mask
        [(np.zeros(1, np.uint8), np.ones(1, np.uint64))],  # not one per unit
        [np.zeros(2, np.uint8)],  # not a pair
    ):
        with pytest.raises(ValueError, match="classes"):
            native.shared_windows("甲乙丙甲乙丙", lengths, 3, scopes, [units], [2], bad)
    with pytest.raises(ValueError, match="in range"):  # a unit without a class
        native.shared_windows(
            "甲乙丙甲乙丙", lengths, 3, scopes, [np.array([0, 2])], [2], [classes]
        )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            TEXTS,
            st.lists(
                st.sampled_from(
                    [*inserts._TRIGGERS, *inserts._HOT_LIST_HEADERS, "回", "热", "a", "☀", "\ufe0f"]
                )
            ).map("".join),
        ),
        max_size=10,
    )
)
def test_trigger_scan(texts: list[str]):
    sets = [
        (inserts._TRIGGERS, inserts._EMOJI_RANGES),
        (inserts._HOT_LIST_HEADERS, ()),
        ((), inserts._EMOJI_RANGES),
        (("热搜", "/"), ()),
    ]
    for chosen in (sets, sets[1:2], []):
        fast, slow = both(lambda: inserts._containing(Joined.of(texts), chosen))  # noqa: B023
        assert [a.tolist() for a in fast] == [a.tolist() for a in slow]


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=8), st.integers(1, 5), st.sampled_from([1, 16, 64]))
def test_minhash_signatures(texts: list[str], ngram: int, num_perm: int):
    signer = similarity.Signer(num_perm, ngram)
    fast, slow = both(lambda: signer.signatures(texts))
    assert fast.dtype == slow.dtype == np.uint32
    assert fast.shape == slow.shape == (len(texts), num_perm)
    assert (fast == slow).all()


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(1, 5), st.data())
def test_minhash_signatures_of_pieces(whole: str, ngram: int, data: st.DataObject):
    """Pieces signed in place sign as the same pieces cut out (empty and short ones too)."""
    at = st.integers(0, len(whole))
    bounds = [sorted(pair) for pair in data.draw(st.lists(st.tuples(at, at), max_size=8))]
    starts = np.array([a for a, _ in bounds], dtype=np.int64)
    lengths = np.array([b - a for a, b in bounds], dtype=np.int64)
    signer = similarity.Signer(16, ngram)
    fast, slow = both(lambda: signer.span_signatures(whole, starts, lengths))
    cut = signer.signatures([whole[a:b] for a, b in bounds])
    assert fast.shape == slow.shape == cut.shape == (len(bounds), 16)
    assert (fast == cut).all() and (slow == cut).all()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="甲乙😀a", max_size=4), max_size=12), st.data())
def test_first_identical_pieces(texts: list[str], data: st.DataObject):
    """Few distinct texts, so pieces often repeat; keys part them again."""
    keys = np.array(
        data.draw(st.lists(st.integers(0, 2), min_size=len(texts), max_size=len(texts)))
    )
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    joined = "".join(texts)
    fast, slow = both(lambda: similarity.first_identical(joined, starts, lengths, keys).tolist())
    first: dict[tuple[int, str], int] = {}
    expected = [
        first.setdefault((int(k), t), i) for i, (k, t) in enumerate(zip(keys, texts, strict=True))
    ]
    assert fast == slow == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), min_size=8, max_size=8), max_size=40),
    st.sampled_from([(1, 8), (2, 4), (4, 2), (3, 2)]),
    st.booleans(),
    st.data(),
)
def test_lsh_bands(values: list[list[int]], shape: tuple[int, int], grouped: bool, data):
    # Few distinct values, so bands often agree; groups split them again.
    signatures = np.array(values, dtype=np.uint32).reshape(len(values), 8)
    groups = None
    if grouped:
        drawn = data.draw(st.lists(st.integers(0, 2), min_size=len(values), max_size=len(values)))
        groups = np.array(sorted(drawn), dtype=np.int64)
    fast, slow = both(lambda: similarity.band_candidates(signatures, *shape, groups))
    assert fast.shape == slow.shape == (len(values), shape[0])
    assert fast.tolist() == slow.tolist()


def test_shared_windows_of_nothing():
    maps = [similarity.Units(np.arange(2), 2)]
    fast, slow = both(lambda: similarity.shared_windows(["", "甲"], 3, np.zeros(2, np.int64), maps))
    assert [a.tolist() for a in fast] == [a.tolist() for a in slow] == [[0, 0]]


LINES = st.lists(
    st.one_of(
        TEXTS,
        st.sampled_from(["", " ", "\u3000 正文 \u200b", "\r\n", "\r", "\n\n", "\t\ufeff", "ＡＢ "]),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=5))
def test_documents_cut_into_lines_and_paragraphs(texts: list[str]):
    batch = [text.Decoded(t, f"f{i}") for i, t in enumerate(texts)]
    fast, slow = both(lambda: text.build_documents(batch))
    assert fast == slow
    assert (fast.columns.norms, fast.columns.keys) == (slow.columns.norms, slow.columns.keys)
    assert fast.columns.norm_lengths.tolist() == slow.columns.norm_lengths.tolist()
    assert fast.columns.key_lengths.tolist() == slow.columns.key_lengths.tolist()
    assert fast.columns.counts == slow.columns.counts
    assert all(type(p) is Paragraph for doc in fast for p in doc.paragraphs)


def test_line_breaks_found_at_every_offset_of_a_scan_block():
    # Two-byte text is scanned eight characters at a time: breaks at each offset in a block,
    # at a block's edges, and a last line shorter than a block.
    lines = ["甲" * n for n in range(21)] + ["乙" * n for n in range(20, -1, -1)]
    batch = [text.Decoded("\n".join(lines[k:]), f"f{k}") for k in range(9)]
    fast, slow = both(lambda: text.build_documents(batch))
    assert fast == slow
    assert [doc.line_count for doc in fast] == [
        len(lines) - k - 1 for k in range(9)
    ]  # the last is empty


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 400))
def test_control_bytes_are_counted_in_the_prefix(data: bytes, limit: int):
    head = data[:limit]
    controls = sum(byte < 32 and byte not in (9, 10, 12, 13, 27) for byte in head)
    assert native.control_bytes(data, limit) == (head.count(0), controls)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"\x00", b"\x01", b"\x1b", b"\t", b"a", "中".encode()]), max_size=9000
    )
)
def test_binary_sniffing_agrees(pieces: list[bytes]):
    data = b"".join(pieces)
    fast, slow = both(lambda: text._looks_binary(data))
    assert fast == slow


def test_control_bytes_refuses_a_negative_limit():
    with pytest.raises(ValueError, match="limit"):
        native.control_bytes(b"abc", -1)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_wide_is_read_off_the_representation(sample: str):
    fast, slow = both(lambda: text.is_wide(sample))
    assert fast == slow == any(ord(c) > 0xFFFF for c in sample)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=5), st.lists(st.integers(-3, 400), max_size=30))
def test_code_points_at_offsets_of_the_columns(texts: list[str], offsets: list[int]):
    columns = text.columns_of([build_document(t).paragraphs for t in texts])
    at = np.array(offsets, dtype=np.int64)
    fast, slow = both(lambda: columns.points_at(at).tolist())
    expected = [ord(columns.norms[i]) if 0 <= i < len(columns.norms) else 0x110000 for i in at]
    assert fast == slow == expected


@settings(max_examples=300, deadline=None)
@given(WINDOW_TEXTS, st.integers(1, 4), st.data())
def test_opening_windows(texts: list[str], ngram: int, data: st.DataObject):
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    index = st.integers(0, len(texts) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=8))
    earlier = np.array([a for a, _ in pairs], dtype=np.int64)
    later = np.array([b for _, b in pairs], dtype=np.int64)
    joined, starts = "".join(texts), np.cumsum(lengths) - lengths
    for anywhere in (False, True):
        fast, slow = both(
            lambda: similarity.opening_windows(
                joined,
                starts,
                lengths,
                earlier,
                later,
                ngram,
                anywhere,  # noqa: B023
            ).tolist()
        )
        assert fast == slow
        # With a count to reach, one that reaches it is exact, and one that does not stays
        # below it (C may answer with its filter's upper bound there).
        at_least = np.array(
            data.draw(st.lists(st.integers(0, 12), min_size=len(pairs), max_size=len(pairs))),
            dtype=np.int64,
        )
        bounded = similarity.opening_windows(
            joined, starts, lengths, earlier, later, ngram, anywhere, at_least
        ).tolist()
        for got, exact, needed in zip(bounded, fast, at_least.tolist(), strict=True):
            assert got == exact if exact >= needed else exact <= got < needed


def test_opening_windows_below_the_count_to_reach_stay_below_it():
    """Two long texts sharing no window: the filter's bound is some way above the true 0
    (a window finds its bit set about one time in nine), and at every count to reach the
    answer stays under it."""
    chars = [chr(0x4E00 + i) for i in range(3000)]
    random.Random(1).shuffle(chars)  # in code point order, Fibonacci hashing never collides
    earlier, later = "".join(chars[:1500]), "".join(chars[1500:])
    args = earlier + later, np.array([0, 1500]), np.array([1500, 1500]), [0], [1], 3
    cast = [np.asarray(a, dtype=np.int64) if isinstance(a, list) else a for a in args]
    bounds = [
        int(similarity.opening_windows(*cast, at_least=np.array([needed]))[0])
        for needed in range(400)
    ]
    assert bounds[0] == 0
    assert all(got < needed for needed, got in enumerate(bounds) if needed)
    assert max(bounds) > 0 or native is None  # the filter, not the exact count, answered


def test_bad_arguments_raise_instead_of_reading_past_the_end():
    assert native is not None
    with pytest.raises(ValueError):
        native.fold("text", b"short table", {})
    table = bytearray(0x10000)
    table[0x2026] = 64  # EXPANDED, with no expansion given, or not a str
    with pytest.raises(ValueError):
        native.fold("……", table, {})
    with pytest.raises(TypeError):
        native.fold("……", table, {0x2026: b"..."})
    assert native.fold("a……", table, {0x2026: "..."})[0] == "a......"
    with pytest.raises(ValueError):
        native.shared_windows("甲乙丙", np.array([3]), 3, np.zeros(2, np.int64), [], [])
    ranks = np.zeros(0x5200, np.int32)
    with pytest.raises(TypeError):
        native.news_counts([1], np.array([1]), ranks, 1, b"\0")  # type: ignore[arg-type]
    for lengths in ([3], [1, 1], [-1, 4], [4, -1], [2**62, 2**62]):  # do not make up "甲\n乙丙"
        with pytest.raises(ValueError):
            native.news_counts("甲\n乙丙", np.array(lengths, np.int64), ranks, 1, b"\0")
        with pytest.raises(ValueError):
            native.containing("甲\n乙丙", np.array(lengths, np.int64), [])
    with pytest.raises(ValueError):  # cell 0 (no known character) set
        native.news_counts("甲乙", np.array([2], np.int64), ranks, 1, b"\1")
    for bit in (2, 4):  # in row 0, in column 0 of a 2 x 2 matrix
        with pytest.raises(ValueError):
            native.news_counts("甲乙", np.array([2], np.int64), ranks, 2, bytes([bit]))
    with pytest.raises(ValueError):  # the matrix is smaller than width x width
        native.news_counts("甲乙", np.array([2], np.int64), ranks, 3, b"\0")
    ranked = ranks.copy()
    ranked[0] = 2  # a rank outside the matrix
    with pytest.raises(ValueError):
        native.news_counts("甲乙", np.array([2], np.int64), ranked, 2, b"\0")
    ranked[1] = 1  # 一 is rank 2, 丁 rank 1: (一, 丁) is cell 7 of a 3 x 3 matrix, (丁, 一) cell 5
    counted = native.news_counts("一丁\n丁一", np.array([2, 2]), ranked, 3, bytes([0x80, 0]))
    assert [np.frombuffer(c, np.int64).tolist() for c in counted] == [[1, 1], [1, 0]]
    with pytest.raises(ValueError):
        native.signatures(["甲乙丙"], 3, b"\0" * 8, b"\0" * 4)
    known = vocabulary.native_vocabulary(vocabulary.news_bigrams())
    ranks, width, words, before, index, idfs = known
    outside = ranks.copy()
    outside[0] = width  # a row past the matrix
    for bad in (
        (outside, width, words, before, index, idfs),
        (ranks, width + 1, words, before, index, idfs),  # a matrix larger than the words
        (ranks, width, words, before[:-1], index, idfs),
        (ranks, width, words, before, np.append(index, len(idfs)).astype(np.uint32), idfs),
        (ranks, width, words, before, index[:0], idfs),  # not even the spare
    ):
        with pytest.raises(ValueError):
            native.vectors(["经济发展"], [1], bad)
        with pytest.raises(ValueError):
            native.rest_cosine_floors(["经济发展"], [1], np.array([0, 0]), [1], bad)
    for starts, lengths in (([1], [3]), ([0], [-1]), ([-1], [1])):  # not inside "甲乙丙"
        spans = np.array(starts, np.int64), np.array(lengths, np.int64)
        with pytest.raises(ValueError):
            native.span_signatures("甲乙丙", *spans, 3, b"\0" * 4, b"\0" * 4)
        with pytest.raises(ValueError):
            native.first_identical("甲乙丙", *spans, np.zeros(1, np.int64))
    with pytest.raises(ValueError):  # a key short
        native.first_identical(
            "甲乙丙", np.zeros(2, np.int64), np.ones(2, np.int64), np.zeros(1, np.int64)
        )
    one = np.array([0], np.int64)
    for starts, lengths, pair in (
        ([1], [3], [0]),
        ([0], [-1], [0]),
        ([0], [3], [1]),
        ([0], [3], [-1]),
    ):
        with pytest.raises(ValueError):  # past the text's end, or no such text
            native.opening_windows(
                "甲乙丙",
                np.array(starts, np.int64),
                np.array(lengths, np.int64),
                one,
                np.array(pair, np.int64),
                3,
            )
    with pytest.raises(ValueError):  # a form with a line fewer than the text as written
        native.documents("a\nb", "a\nb", "a", [3], " ", Paragraph)
    with pytest.raises(ValueError):  # a form with a line more than the others
        native.documents("a\nb", "a\nb", "a\nb\nc", [3], " ", Paragraph)
    for lengths in ([4], [2], [1, 2], [-1], [0, 0]):  # not the text's, or not at a break
        with pytest.raises(ValueError):
            native.documents("a\nb", "a\nb", "a\nb", lengths, " ", Paragraph)
    with pytest.raises(ValueError):  # a text ending inside a line
        native.documents("ab\nc", "ab\nc", "ab\nc", [1, 2], " ", Paragraph)
    with pytest.raises(TypeError):
        native.documents("a", "a", "a", [1], " ", dict)
    rows, columns, weights = np.array([0, 1]), np.array([0, 2]), np.array([1.0, 2.0])
    with pytest.raises(ValueError):  # column 2 of a vocabulary of 2
        native.topic(rows, columns, weights, 2, 2, np.zeros(2, np.bool_))
    with pytest.raises(ValueError):  # row 1 of a document of 1 paragraph
        native.topic(rows, columns, weights, 1, 3, np.zeros(1, np.bool_))
    with pytest.raises(ValueError):  # a mask of the wrong length
        native.topic(rows, columns, weights, 2, 3, np.zeros(3, np.bool_))
    with pytest.raises(ValueError):  # one weight short
        native.topic(rows, columns, weights[:1], 2, 3, np.zeros(2, np.bool_))
    with pytest.raises(ValueError):  # a document vector of 2 columns
        native.block_cosine(rows, columns, weights, 0, 1, np.zeros(2), 1.0)


def _files() -> list[Path]:
    return sorted((HERE.parent / "seeds").glob("*.txt")) + sorted((HERE / "data").rglob("*.txt"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_whole_reports_are_the_same(path: Path):
    doc = build_document(path.read_text(encoding="utf-8"), str(path))
    fast, slow = both(lambda: check_document(doc, Config()))
    assert fast == slow
