"""Decoding, line numbering and the comparison form."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qc.text import (
    _CASED,
    _EXPANDED,
    _EXPANSIONS,
    _STABLE,
    _SYMBOL_BLOCKS,
    _WORD,
    InputError,
    Slices,
    _char_table,
    _learn,
    build_document,
    comparison_key,
    decode,
    nfkc,
    split_lines,
    split_sentences,
)

SIMPLIFIED = "株洲是一座与共和国一同成长的城市，因工业而生，因工业而立。今年经济运行总体平稳。"
# Written for this test: Traditional Chinese as a Taiwan or Hong Kong paper prints it.
TRADITIONAL = (
    "臺灣的新聞報導指出，這個城市的經濟發展非常迅速，政府將繼續推動產業轉型，讓民眾的生活更加美好。"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
    ],
)
def test_decode_detects_encoding(data: bytes, encoding: str):
    text, used = decode(data)
    assert used == encoding
    assert text in (SIMPLIFIED, TRADITIONAL)


def test_decode_forced_encoding_and_its_errors():
    assert decode(SIMPLIFIED.encode("gbk"), "gbk") == (SIMPLIFIED, "gbk")
    with pytest.raises(InputError, match="not valid utf-8"):
        decode(SIMPLIFIED.encode("gbk"), "utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"abc", "no-such-codec")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"\xff\xfe" + b"\x00\xd8", "utf-16 byte-order mark"),
    ],
)
def test_decode_rejects_with_clear_message(data: bytes, message: str):
    with pytest.raises(InputError, match=message):
        decode(data)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_are_numbered_as_an_editor_shows_them(newline: str):
    text = newline.join(["标题", "", "第一段。", "第二段。"]) + newline
    doc = build_document(text)
    assert doc.line_count == len(split_lines(text)) == 4
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (1, "标题"),
        (3, "第一段。"),
        (4, "第二段。"),
    ]


def test_mixed_line_endings_and_no_final_newline():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\n\n") == ["a", ""]


def test_blank_lines_include_full_width_and_zero_width_space():
    doc = build_document("一\n\u3000\u3000\n\u200b\n二")
    assert [p.line for p in doc.paragraphs] == [1, 4]


def test_comparison_key_folds_width_case_punctuation_and_spacing():
    assert comparison_key("ＡＢＣ １２３，你好！") == comparison_key("abc123,你 好!")
    assert comparison_key("“引号”与\u200b零宽") == "引号与零宽"
    assert comparison_key("➤➤➤") == ""


def test_sentences_keep_closing_quotes_and_skip_decimal_points():
    text = "他说：“好。”增长8.4%。U.S.的数据.最后一句"
    paragraph = build_document(text).paragraphs[0]
    assert split_sentences([paragraph]).texts == [
        "他说:“好。”",  # sentences are cut from the NFKC form
        "增长8.4%。",
        "U.S.的数据.",
        "最后一句",
    ]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_fast_nfkc_equals_unicodedata(text: str):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_the_character_table_holds_each_characters_word_and_case_bits():
    table = _char_table().tolist()
    for point, flags in enumerate(table):
        char = chr(point)
        assert bool(flags & _WORD) == char.isalnum(), hex(point)
        assert bool(flags & _CASED) == (char.casefold() != char), hex(point)


def _composition_seconds() -> set[int]:
    """Characters that compose with the one before them: the second of a two-character
    canonical decomposition, and the Hangul vowel and trailing consonant jamo."""
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for point in range(0x110000):
        parts = unicodedata.decomposition(chr(point)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    return seconds


def test_learnt_symbols_are_stable_or_expand_to_stable_text():
    """Every character of the symbol blocks, once met, is left unstable, or marked stable
    (NFKC leaves it alone, it never reorders and never composes with the character before
    it), or marked expanded to its NFKC, which is stable text."""
    chars = [chr(p) for low, high in _SYMBOL_BLOCKS for p in range(low, high + 1)]
    _learn(chars)
    table, seconds = _char_table(), _composition_seconds()
    stable = expanded = 0
    for char in chars:
        point, normal = ord(char), unicodedata.normalize("NFKC", char)
        if table[point] & _STABLE:
            stable += 1
            assert normal == char and unicodedata.combining(char) == 0, hex(point)
            assert point not in seconds and unicodedata.category(char) != "Cn", hex(point)
        if table[point] & _EXPANDED:
            expanded += 1
            assert _EXPANSIONS[point] == normal and unicodedata.combining(char) == 0, hex(point)
            assert point not in seconds and all(table[ord(c)] & _STABLE for c in normal)
    assert stable > 3000 and expanded > 300  # most of the blocks: the test is not empty
    for char in "…Ⅱ①\u2002½":
        assert _char_table()[ord(char)] & _EXPANDED, char


_SYMBOLS_AND_MARKS = st.text(
    alphabet=st.sampled_from(
        [chr(p) for low, high in _SYMBOL_BLOCKS for p in range(low, high + 1, 7)]
        + list("\u0301\u0323\u3099\u20dd\u1161\u11a8\u0b3eｶａ　甲e")
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(_SYMBOLS_AND_MARKS)
def test_fast_nfkc_on_symbols_before_and_after_they_are_learnt(text: str):
    expected = unicodedata.normalize("NFKC", text)
    assert nfkc(text) == expected  # learns what its runs hold
    assert nfkc(text) == expected  # with those expanded or skipped in C


def test_fast_nfkc_on_compositions_and_wide_forms():
    for text in ["e\u0301", "\u1100\u1161\u11a8", "Ａ\u0301", "①ⅡＡＢ　ｃ", "ﬁ", "ｶﾞ"]:
        assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_slices_cut_pieces_when_asked_for():
    pieces = Slices("甲乙丙丁戊", [0, 1, 3], [1, 3, 5])
    assert len(pieces) == 3 and pieces[1] == "乙丙" and pieces[-1] == "丁戊"
    assert pieces[1:] == ["乙丙", "丁戊"] and list(pieces) == ["甲", "乙丙", "丁戊"]
    assert pieces == ["甲", "乙丙", "丁戊"] and pieces != ["甲"] and "乙丙" in pieces
    with pytest.raises(IndexError):
        pieces[3]
