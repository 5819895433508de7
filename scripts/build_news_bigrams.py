"""Build qc/data/news_bigrams.txt: Han-character bigrams and how many clean news articles use them.

The insert detector uses it twice: as document frequencies for TF-IDF weights, and to measure
how much of a paragraph is written in the vocabulary of news copy (Weibo posts, fan posts and
ads are not). Only bigrams used by at least MIN_DF articles are kept.

    python scripts/build_news_bigrams.py ../shared/corpus/news
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

MIN_DF = 3
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def main(folder: str) -> None:
    files = sorted(Path(folder).glob("*.txt"))
    df: Counter[str] = Counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        df.update({run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)})
    kept = sorted((b for b, n in df.items() if n >= MIN_DF), key=lambda b: (-df[b], b))
    out = Path(__file__).resolve().parent.parent / "qc" / "data" / "news_bigrams.txt"
    lines = [
        "# Han bigrams of clean news copy and the number of articles using each (at least",
        f"# {MIN_DF}). Built by scripts/build_news_bigrams.py; do not edit by hand.",
        f"documents\t{len(files)}",
    ]
    lines += [f"{b}\t{df[b]}" for b in kept]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} bigrams from {len(files)} articles to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/news")
