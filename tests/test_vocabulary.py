"""The news bigram table: parsing and the layout detector's probabilities."""

from __future__ import annotations

import pytest

from qc.vocabulary import news_bigrams, parse_bigram_table

# Three articles' worth of made-up counts: bigram, df, occurrences, occurrences opening a sentence.
SMALL = """# a comment
documents\t3
发展\t3\t10\t2
发布\t2\t30\t0
展开\t1\t5\t5
"""


def test_a_table_is_parsed_into_its_columns() -> None:
    table = parse_bigram_table(SMALL)
    assert table.documents == 3
    assert table.bigrams == ["发展", "发布", "展开"]
    assert table.first.tolist() == [ord("发"), ord("发"), ord("展")]
    assert table.second.tolist() == [ord("展"), ord("布"), ord("开")]
    assert table.frequency.tolist() == [3, 2, 1]
    assert table.occurrences.tolist() == [10, 30, 5]
    assert table.sentence_starts.tolist() == [2, 0, 5]
    assert table.knows("发布") and not table.knows("布发")


def test_probabilities_follow_their_definitions() -> None:
    table = parse_bigram_table(SMALL)
    assert table.follows("发", "展") == 10 / 40  # 发 is followed 40 times in all
    assert table.follows("发", "开") == 0.0  # a pair it never forms
    assert table.follows("开", "发") == 0.0  # a character that never opens a bigram
    assert table.follows("a", "b") == 0.0  # not Han at all
    assert table.opens_with("发") == 2 / 7 and table.opens_with("展") == 5 / 7
    assert table.opens_with("，") == 0.0
    assert table.start_ratio("发展") == 2 / 10
    assert table.start_ratio("展开") == 1.0
    assert table.start_ratio("开发") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("发展\t3\t10\t2\n", "documents"),
        ("documents\t3\n发展\t3\t10\n", "four columns"),
        ("documents\t3\n发展\t3\t10\t2\t1\n", "four columns"),
        ("documents\t3\nab\t3\t10\t2\n", "two Han characters"),
        ("documents\t3\n发展了\t3\t10\t2\n", "two Han characters"),
    ],
)
def test_a_malformed_table_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_bigram_table(text)


def test_the_shipped_table_loads() -> None:
    table = news_bigrams()
    assert table.documents > 0
    assert len(table.bigrams) == len(table.frequency) > 10_000
    assert (table.frequency >= 1).all() and (table.occurrences >= table.sentence_starts).all()
