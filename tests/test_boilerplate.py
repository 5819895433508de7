"""Page chrome: seeds, case files, the pattern file, config switches, injected chrome lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import spans
from defects import TEST_NEWS, boilerplate, category_scores, load_articles, make_cases
from hypothesis import given, settings
from hypothesis import strategies as st

import qc
from qc.config import ConfigError, config_from_mapping
from qc.detectors.boilerplate import ChromeTable, builtin_patterns, compile_pattern, first_chars


def test_seed_chrome_lines(seed_reports):
    assert spans(seed_reports["001"], "boilerplate") == [(4, 8), (126, 128)]
    found_002 = spans(seed_reports["002"], "boilerplate")
    assert (5, 5) in found_002 and (97, 97) in found_002
    # 002 line 140 is a QR-code prompt ("扫一扫, ..."), page chrome as well.
    assert set(found_002) <= {(5, 5), (97, 97), (140, 140)}


@pytest.mark.parametrize("seed", ["000", "003", "004"])
def test_no_chrome_in_other_seeds(seed_reports, seed):
    assert spans(seed_reports[seed], "boilerplate") == []


def test_chrome_never_covers_a_long_article_paragraph(seed_reports):
    for report in seed_reports.values():
        lines = Path(report.path).read_text(encoding="utf-8").splitlines()
        for finding in report.findings:
            if finding.category == "boilerplate":
                for number in range(finding.line, finding.end_line + 1):
                    line = lines[number - 1]
                    assert len(line) < 80 or line.startswith("声明"), line


def test_pattern_ids_are_unique_and_patterns_anchored():
    patterns = builtin_patterns()
    assert len({p.id for p in patterns}) == len(patterns)
    assert all(p.regex.pattern.startswith("^") for p in patterns)


def test_disable_a_builtin_and_add_an_extra_pattern():
    text = "一段正文，讲述了一件事情的来龙去脉，内容完整。\n\n来源：晨报\n\n——本报讯——"
    default = qc.check_text(text)
    assert [f.line for f in default.findings] == [3]
    config = config_from_mapping(
        {"boilerplate": {"disable": ["source"], "extra_patterns": {"bulletin": "^——本报讯——$"}}}
    )
    custom = qc.check_text(text, config=config)
    assert [(f.line, f.message) for f in custom.findings] == [
        (5, "page chrome, not article text (line: bulletin)")
    ]


def test_bad_extra_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match=r"boilerplate\.extra_patterns\.broken"):
        config_from_mapping({"boilerplate": {"extra_patterns": {"broken": "^(unclosed"}}})


def test_injected_chrome_line_level_precision_and_recall(config):
    from defects import CORPUS_NEWS

    articles = load_articles(TEST_NEWS)
    if CORPUS_NEWS.is_dir():
        articles += load_articles(CORPUS_NEWS)[::3]
    cases = make_cases(articles, boilerplate, seed=13)

    scores = category_scores(cases, "boilerplate", config)
    assert scores.precision >= 0.9, scores
    assert scores.recall >= 0.9, scores


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (r"^(?:用|在)?手机看", "用在手"),
        (r"^[(\[]?(?:责任编辑|责编)", "([责"),
        (r"\A(?:a|bc)*d", "abd"),
        (r"^[a-c]{2}", "abc"),
        (r"^x*?y", "xy"),
        (r"来源", None),  # unanchored: may match anywhere
        (r"^\s*来源", None),  # a category
        (r"^[^。]来源", None),  # a negated set
        (r"^(?i)copyright", None),  # case-insensitive
        (r"^(?i:c)opyright", None),
        (r"^[一-龥]", None),  # a range too wide to list
        (r"^(?:来源)?$", None),  # matches the empty line
        (r"^(?:a|)", None),
        (r"^(?=a)", None),  # a look-ahead
    ],
)
def test_first_chars_of_a_pattern(expression, expected):
    found = first_chars(expression)
    assert (None if found is None else "".join(sorted(found))) == (
        None if expected is None else "".join(sorted(expected))
    )


def _linear_kind(patterns, line):
    return next((p.id for p in patterns if p.regex.search(line)), None)


# Lines made of pattern fragments, chrome words and ordinary text, so that many start with a
# pattern's first character and some match.
_PIECES = [
    "来源",
    ":",
    "新华社",
    "责任编辑",
    "编辑",
    " ",
    "张三",
    "扫一扫",
    "手机",
    "看",
    "【",
    "打印",
    "】",
    "声明",
    "(",
    "©",
    "Copyright",
    "copyright",
    "点击",
    "阅读全文",
    "。",
    "a",
    "投稿邮箱",
    "x@y.cn",
    "2024",
    "关注我们",
    "分享到",
    "原标题",
    "字号",
    "大",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), min_size=1, max_size=6))
def test_dispatch_by_first_character_equals_trying_every_pattern(pieces):
    line = "".join(pieces)
    patterns = list(builtin_patterns())
    extra = [compile_pattern("loose", "当事人", "t"), compile_pattern("ci", "(?i)^COPY", "t")]
    for chosen in (patterns, patterns + extra, extra + patterns):
        assert ChromeTable.of(chosen).kind(line) == _linear_kind(chosen, line)


def test_a_pattern_that_can_start_anywhere_is_tried_on_every_line():
    text = "正文第一段，内容完整。\n\n本页由某某网站提供\n\n正文第二段，内容完整。\n\n来源：晨报"
    config = config_from_mapping(
        {"boilerplate": {"extra_patterns": {"provided": "由某某网站提供$"}}}
    )
    report = qc.check_text(text, config=config)
    assert [(f.line, f.end_line) for f in report.findings] == [(3, 3), (7, 7)]
    assert "provided" in report.findings[0].message
