"""Quality gate on the 650 clean articles of ../shared/corpus/news (skipped on a fresh clone).

These articles were selected as clean copy, so every finding on them is a false positive. The
issue budgets are per category: the share of files with any finding of that category.
"""

from __future__ import annotations

from collections import Counter

import pytest
from defects import CORPUS_NEWS

import qc

pytestmark = pytest.mark.skipif(not CORPUS_NEWS.is_dir(), reason="../shared/corpus not present")

BUDGET = {"repeat": 0.01, "insert": 0.01, "boilerplate": 0.02, "layout": 0.02}


@pytest.fixture(scope="module")
def corpus_run() -> qc.RunReport:
    return qc.check_paths([str(CORPUS_NEWS)], config=qc.Config())


def test_corpus_is_read_without_errors(corpus_run):
    assert corpus_run.summary.files >= 600
    assert corpus_run.summary.errors == 0


@pytest.mark.parametrize("category", sorted(BUDGET))
def test_clean_articles_rarely_get_a_finding(corpus_run, category):
    files_with = Counter(
        report.path
        for report in corpus_run.files
        for f in report.findings
        if f.category == category
    )
    share = len(files_with) / corpus_run.summary.files
    assert share <= BUDGET[category], sorted(files_with)[:10]
