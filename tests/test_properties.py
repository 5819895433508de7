"""Properties over arbitrary text: no crash, spans inside the file, JSON round-trips."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

import qc
from qc.api import summarise
from qc.model import RunReport
from qc.render import render
from qc.render.json_format import dumps, to_dict

PIECES = st.sampled_from(
    [
        "这是一段正常的新闻正文，内容完整。",
        "重复",
        "➤➤➤",
        "【报告点击】",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "，",
        "。",
        " ",
        "\u3000",
        "\u200b",
        "ＡＢＣ１２３",
        "#话题#",
        "@用户",
        "[心]",
        "😀",
        "改革开放四十年来，城市面貌发生了翻天覆地的变化。",
    ]
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=60).map("".join))


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_any_text_is_checked_with_spans_inside_the_file(text: str):
    report = qc.check_text(text)
    assert 0.0 <= report.score <= 100.0
    for finding in report.findings:
        assert 1 <= finding.line <= finding.end_line <= report.lines
        for related in finding.related:
            assert 1 <= related.line <= related.end_line <= report.lines
            assert related.line < finding.line or related.end_line <= finding.end_line


@settings(max_examples=80, deadline=None)
@given(st.lists(TEXTS, min_size=0, max_size=3))
def test_json_round_trips(texts: list[str]):
    files = tuple(qc.check_text(t, path=f"f{i}.txt") for i, t in enumerate(texts))
    run = RunReport(files=files, summary=summarise(files), tool_version=qc.__version__)
    assert render(run, "json") == json.dumps(to_dict(run), ensure_ascii=False, indent=2) + "\n"
    assert render(run, "text").endswith("\n")


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_report_or_a_clear_error(data: bytes):
    report = qc.check_bytes(data, path="x.txt", config=qc.Config())
    assert (report.error is None) == (report.status != "error")


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_whole_text_normalisation_matches_each_line(text: str):
    from qc.text import build_document, clean_line, nfkc

    for paragraph in build_document(text).paragraphs:
        assert paragraph.norm == clean_line(nfkc(paragraph.text))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(JSON)
@example({"a": [float("nan"), float("inf"), -float("inf"), -0.0, True, 1, None, [], {}]})
def test_our_json_is_the_standard_librarys_character_for_character(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
