"""qc's quality figures on ../shared/corpus: false positives on clean copy, and line-level
precision and recall on defects injected into it (the generators the tests use).

    python scripts/quality.py

Every article in shared/corpus/news was selected as clean copy, so any finding on one is a
false positive; the figure is the share of the 650 files with at least one finding of each
category. The generated figures pool every article with one injected defect (fixed seeds).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import defects  # noqa: E402

import qc  # noqa: E402


def clean_corpus(config: qc.Config) -> None:
    run = qc.check_paths([str(defects.CORPUS_NEWS)], config=config)
    files = Counter(c for report in run.files for c in {f.category for f in report.findings})
    print(f"Clean corpus: {run.summary.files} articles, {run.summary.errors} unreadable")
    print("| category | files with a finding | share |")
    print("|---|---|---|")
    for category in ("repeat", "insert", "boilerplate", "layout"):
        count = files.get(category, 0)
        print(f"| {category} | {count} | {100 * count / run.summary.files:.2f}% |")


def generated(config: qc.Config) -> None:
    articles = defects.load_articles(defects.CORPUS_NEWS)
    kinds: list[tuple[str, str, defects.Generator, int]] = [
        *(("repeat", name, g, 7) for name, g in defects.REPEAT_GENERATORS.items()),
        ("insert", "weibo/hot list/ad", defects.make_insert_generator(defects.weibo_material()), 5),
        ("boilerplate", "chrome lines", defects.boilerplate, 5),
        *(("layout", name, g, 9) for name, g in defects.LAYOUT_GENERATORS.items()),
    ]
    print("\nInjected defects, line level:")
    print("| category | defect | cases | precision | recall |")
    print("|---|---|---|---|---|")
    for category, name, generator, seed in kinds:
        cases = defects.make_cases(articles, generator, seed=seed)

        scores = defects.category_scores(cases, category, config)
        figures = f"{scores.cases} | {scores.precision:.3f} | {scores.recall:.3f}"
        print(f"| {category} | {name} | {figures} |")


def main() -> None:
    if not defects.CORPUS_NEWS.is_dir():
        raise SystemExit(f"needs {defects.CORPUS_NEWS}")
    config = qc.Config()
    clean_corpus(config)
    generated(config)


if __name__ == "__main__":
    main()
