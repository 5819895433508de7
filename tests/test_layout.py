"""The layout detector: seeds, case files, and damage injected into clean articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, read_case, spans
from defects import (
    CORPUS_NEWS,
    LAYOUT_GENERATORS,
    TEST_NEWS,
    category_scores,
    load_articles,
    make_cases,
)

import qc

BROKEN_004 = [(23, 25), (31, 33), (43, 45), (49, 51), (55, 57)]


def _by_rule(report, rule):
    return [(f.line, f.end_line) for f in report.findings if f.rule == rule]


def test_seed_004_broken_paragraphs_and_orphans(seed_reports):
    report = seed_reports["004"]
    assert _by_rule(report, "QC401") == BROKEN_004
    assert _by_rule(report, "QC403") == [(39, 39), (146, 146), (152, 152)]
    # 112 and 124 stop mid-sentence; the orphans at 146 and 152 are their lost tails.
    assert _by_rule(report, "QC402") == [(112, 112), (124, 124)]
    orphans = {f.line: f for f in report.findings if f.rule == "QC403"}
    assert "line 112" in orphans[146].message and "line 124" in orphans[152].message
    assert orphans[146].suggestion.endswith("创建国家农产品质量安全市。")


def test_broken_paragraph_suggests_the_joined_text(seed_reports):
    (finding,) = [f for f in seed_reports["004"].findings if f.line == 23]
    lines = Path(seed_reports["004"].path).read_text(encoding="utf-8").splitlines()
    assert finding.suggestion == lines[22].strip() + lines[24].strip()


def test_seed_002_and_003(seed_reports):
    assert (25, 27) in _by_rule(seed_reports["002"], "QC401")
    assert (162, 162) in _by_rule(seed_reports["002"], "QC402")
    assert _by_rule(seed_reports["003"], "QC402") == [(94, 94)]


@pytest.mark.parametrize(
    ("seed", "structural"),
    [
        ("003", [3, 5, 7, 9, 11, 25, 27, 39, 41]),
        ("004", [3, 5, 7, 9, 11, 29, 35, 80, 82, 84, 86, 88]),
    ],
)
def test_structural_lines_are_not_damage(seed_reports, seed, structural):
    flagged = {
        n
        for f in seed_reports[seed].findings
        if f.category == "layout"
        for n in range(f.line, f.end_line + 1)
    }
    assert flagged.isdisjoint(structural)


@pytest.mark.parametrize("seed", ["000", "001"])
def test_no_layout_damage_in_other_seeds(seed_reports, seed):
    assert spans(seed_reports[seed], "layout") == []


def test_text_report_shows_the_suggested_join(config):
    from qc.api import summarise
    from qc.model import RunReport
    from qc.render import render

    _, text = read_case(CASES / "layout_damage.txt")
    report = qc.check_text(text, path="a.txt", config=config)
    out = render(RunReport((report,), summarise([report]), qc.__version__), "text")
    assert "    suggested: 今年以来，全县加快推进城乡供水一体化工程建设" in out


def test_layout_inside_cut_text_is_not_reported(config):
    # A truncated paragraph inside a repeated block goes with the block: one finding, not two.
    body = "提升医疗服务质量。加强公共卫生服务体系建设，提升常态化疫情防控和应急处理能力，今年将完成中心医院"
    other = "按照总体规划、完善功能、市场运作的思路，该区将有序实施片区开发，不断提升居民生活品质。"
    text = "\n".join(
        ["标题", body, other, "第三段内容，与前文不同，讲述另外一件事情。", body, other]
    )
    report = qc.check_text(text, config=config)
    assert [(f.category, f.line) for f in report.findings] == [("layout", 2), ("repeat", 5)]


def _articles():
    articles = load_articles(TEST_NEWS)
    if CORPUS_NEWS.is_dir():
        articles += load_articles(CORPUS_NEWS)[1::3]
    return articles


def test_injected_layout_damage_line_level_precision_and_recall(config):
    pooled = []
    for generator in LAYOUT_GENERATORS.values():
        pooled += make_cases(_articles(), generator, seed=17)
    assert len(pooled) >= 30

    scores = category_scores(pooled, "layout", config)
    assert scores.precision >= 0.85, scores
    assert scores.recall >= 0.85, scores
