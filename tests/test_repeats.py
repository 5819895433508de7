"""The repeat detector: seeds, case files, and defects injected into clean articles."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import seed_path, spans
from defects import (
    CORPUS_NEWS,
    REPEAT_GENERATORS,
    TEST_NEWS,
    category_scores,
    load_articles,
    make_cases,
)

import qc
from qc.config import RepeatConfig
from qc.detectors.repeats import find_copies, group_blocks
from qc.text import build_document


def test_seed_003_block_pasted_twice_gives_two_findings_related_to_first_copy(seed_reports):
    report = seed_reports["003"]
    findings = [f for f in report.findings if f.category == "repeat"]
    assert [(f.line, f.end_line) for f in findings] == [(100, 112), (114, 122)]
    assert all(f.rule == "QC101" and f.name == "repeated-block" for f in findings)
    assert [(r.line, r.end_line) for f in findings for r in f.related] == [(82, 98), (82, 94)]
    assert all(f.related[0].path == report.path for f in findings)
    assert all(f.similarity == 1.0 for f in findings)


def test_seed_001_line_12_repeats_line_10_and_extends_it(seed_reports):
    (finding,) = [f for f in seed_reports["001"].findings if f.category == "repeat"]
    assert (finding.line, finding.end_line, finding.rule) == (12, 12, "QC103")
    assert (finding.related[0].line, finding.related[0].end_line) == (10, 10)
    assert "adds text" in finding.message and "line 10" in finding.message


@pytest.mark.parametrize("seed", ["000", "002", "004"])
def test_seeds_without_repeats_have_no_repeat_finding(seed_reports, seed):
    # 000 repeats a rhetorical question, 001/004 repeat separators and section labels,
    # 002 repeats a site name as a divider and prints pull quotes that restate its body.
    assert spans(seed_reports[seed], "repeat") == []


def test_structural_lines_of_seeds_are_never_flagged(seed_reports, config):
    for report in seed_reports.values():
        lines = seed_path(Path(report.path).name[:3]).read_text(encoding="utf-8").splitlines()
        for finding in report.findings:
            if finding.category != "repeat":
                continue
            for number in (finding.line, finding.end_line):
                assert len(lines[number - 1].strip()) >= config.repeat.min_chars


def test_later_copy_is_the_finding_and_related_points_back():
    first = "这是一段足够长的正文内容，用来检验重复段落是否以后出现的那一份为准。"
    text = f"标题\n\n{first}\n\n中间的一段文字，与前后都不相同，内容也足够长。\n\n{first}\n"
    (finding,) = qc.check_text(text).findings
    assert (finding.line, finding.related[0].line) == (7, 3)
    assert finding.message.endswith("(first copy at line 3)")


def test_short_repeated_lines_do_not_count_on_their_own():
    text = "\n".join(
        ["你知道他是谁吗？", "正文第一段，讲述了一个普通人的故事。", "你知道他是谁吗？"]
    )
    assert qc.check_text(text).findings == ()


def test_quotation_cited_twice_is_not_a_repeat():
    quote = "“绿水青山就是金山银山，保护生态环境就是保护生产力。”"
    text = "\n".join(
        [
            quote,
            "这一理念深入人心，各地纷纷探索生态产品价值实现的有效路径，取得了显著成效。",
            f"一位村干部感慨地说：{quote}",
        ]
    )
    assert qc.check_text(text).findings == ()


def test_blocks_follow_their_sources_forward():
    def copy(paragraph: int, source: int):
        from qc.detectors.repeats import Copy

        return Copy(paragraph, (source,), "exact", 1.0, 1.0)

    blocks = group_blocks([copy(10, 1), copy(11, 2), copy(12, 4), copy(13, 1), copy(14, 2)], 2)
    assert [[c.paragraph for c in b] for b in blocks] == [[10, 11, 12], [13, 14]]


def test_many_identical_lines_stay_linear():
    # 20,000 copies: each is matched through the exact-key dict, none is indexed again.
    line = "这一行被复制了很多次，用来检验重复检测不会退化为平方复杂度。"
    doc = build_document("\n".join([line] * 20_000))
    copies = find_copies(doc, RepeatConfig())
    assert len(copies) == 19_999
    assert {c.sources for c in copies} == {(0,)}


def _articles():
    articles = load_articles(TEST_NEWS)
    if CORPUS_NEWS.is_dir():
        rng = random.Random(3)
        corpus = load_articles(CORPUS_NEWS)
        articles += rng.sample(corpus, min(200, len(corpus)))
    return articles


@pytest.mark.parametrize("kind", sorted(REPEAT_GENERATORS))
def test_injected_repeats_line_level_precision_and_recall(kind, config):
    cases = make_cases(_articles(), REPEAT_GENERATORS[kind], seed=11)
    assert len(cases) >= 10

    scores = category_scores(cases, "repeat", config)
    assert scores.precision >= 0.95, scores
    assert scores.recall >= 0.85, scores


def test_clean_test_articles_are_clean(config):
    for path in sorted(TEST_NEWS.glob("*.txt")):
        report = qc.check_text(path.read_text(encoding="utf-8"), path=path.name, config=config)
        assert report.findings == (), (path.name, report.findings)
        assert report.status == "clean"
