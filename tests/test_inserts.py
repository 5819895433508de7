"""The insert detector: seed 000, case files, and Weibo material injected into clean articles."""

from __future__ import annotations

import pytest
from conftest import CASES, read_case, spans
from defects import (
    TEST_NEWS,
    category_scores,
    load_articles,
    make_cases,
    make_insert_generator,
    weibo_material,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qc
from qc.detectors import inserts
from qc.detectors.inserts import detect


def test_seed_000_insert_is_one_finding_from_first_post_to_end(seed_reports):
    report = seed_reports["000"]
    assert spans(report, "insert") == [(35, 98)]
    (finding,) = [f for f in report.findings if f.category == "insert"]
    assert finding.rule == "QC201" and finding.severity == "error"
    for signal in ("hashtag", "super-topic", "hot-list", "comment-ui", "short-link", "off-topic"):
        assert signal in finding.message


@pytest.mark.parametrize("seed", ["001", "002", "003", "004"])
def test_no_insert_in_other_seeds(seed_reports, seed):
    assert spans(seed_reports[seed], "insert") == []


def test_message_says_which_signals_fired(config):
    _, text = read_case(CASES / "insert_ad_in_middle.txt")
    (finding,) = qc.check_text(text, config=config).findings
    assert "lottery-or-coupon" in finding.message and "short-link" in finding.message
    assert finding.excerpt.startswith("限时秒杀")


def test_unmarked_off_topic_block_is_a_warning(config):
    article = load_articles(TEST_NEWS)[0]
    chatter = [
        "昨天晚上和闺蜜去吃了那家网红火锅，排队排了两个小时，味道一般般吧，不过锅底还挺香的，下次还想再去。",
        "回家路上买了杯奶茶，结果被告知新品卖完了，只好换了个老口味，感觉今天运气有点差，明天要早点出门才行。",
    ]
    text = "\n\n".join([article.title, *article.paragraphs[:3], *chatter, *article.paragraphs[3:]])
    findings = [f for f in qc.check_text(text, config=config).findings if f.category == "insert"]
    assert [(f.rule, f.severity) for f in findings] == [("QC202", "warning")]
    assert "not news vocabulary" in findings[0].message


def test_short_document_is_not_judged(config):
    doc = qc.check_text("#话题# 今天好开心[哈哈]\n姐妹们冲鸭", config=config)
    assert [f for f in doc.findings if f.category == "insert"] == []


def test_detector_is_pure_and_deterministic(config):
    from qc.text import build_document

    _, text = read_case(CASES / "insert_weibo_at_end.txt")
    doc = build_document(text)
    assert list(detect(doc, config.insert)) == list(detect(doc, config.insert))


def _articles():
    from defects import CORPUS_NEWS

    articles = load_articles(TEST_NEWS)
    if CORPUS_NEWS.is_dir():
        articles += load_articles(CORPUS_NEWS)[::3]
    return articles


def test_injected_inserts_line_level_precision_and_recall(config):
    cases = make_cases(_articles(), make_insert_generator(weibo_material()), seed=21, per_article=2)
    assert len(cases) >= 20

    scores = category_scores(cases, "insert", config)
    assert scores.precision >= 0.9, scores
    assert scores.recall >= 0.9, scores


@pytest.mark.parametrize(
    ("name", "pattern"),
    [(n, rx) for n, rx in {**inserts.STRONG, **inserts.WEAK}.items() if n in inserts._NEEDS],
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_of_a_marker_holds_one_of_its_literals(name, pattern, data):
    """The literal screen before each marker's pattern never hides a match."""
    text = data.draw(st.from_regex(pattern))
    assert any(literal in text for literal in inserts._NEEDS[name]), (name, text)


def test_every_marker_is_found_by_the_trigger_scan():
    """The scan that skips paragraphs covers every marker: by its literals, by the emoji
    ranges (emoji), or by the header words (hot-list)."""
    assert set(inserts.STRONG) | set(inserts.WEAK) == set(inserts._NEEDS) | {"emoji"}
    for name, literals in inserts._NEEDS.items():
        if name != "hot-list":
            assert all(
                literal in inserts._TRIGGERS or inserts._is_emoji(literal[0])
                for literal in literals
            )
