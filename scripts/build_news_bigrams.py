"""Build qc/data/news_bigrams.txt: Han-character bigrams of clean news copy, with three counts.

- df: how many articles use the bigram. The insert detector uses it for TF-IDF weights and to
  measure how much of a paragraph is written in the vocabulary of news copy.
- count: how often it occurs inside text, and starts: how often it opens a sentence. The layout
  detector uses them to tell whether a line that breaks mid-sentence continues on the next line
  (the bigram across the break is common inside text) or the next line starts a new sentence.
Only bigrams used by at least MIN_DF articles are kept.

    python scripts/build_news_bigrams.py ../shared/corpus/news
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

MIN_DF = 3
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# A sentence starts at the start of a paragraph or after final punctuation (and closing quotes).
_SENTENCE_START = re.compile(
    r"(?:^|[。！？!?；;…][”’」』）)]*)\s*([\u4e00-\u9fff]{2})", re.MULTILINE
)


def main(folder: str) -> None:
    files = sorted(Path(folder).glob("*.txt"))
    df: Counter[str] = Counter()
    count: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    for path in files:
        body = path.read_text(encoding="utf-8").split("\n", 1)[1]  # the title is not a sentence
        grams = [run[i : i + 2] for run in _HAN_RUN.findall(body) for i in range(len(run) - 1)]
        df.update(set(grams))
        count.update(grams)
        starts.update(_SENTENCE_START.findall(body))
    kept = sorted((b for b, n in df.items() if n >= MIN_DF), key=lambda b: (-df[b], b))
    out = Path(__file__).resolve().parent.parent / "qc" / "data" / "news_bigrams.txt"
    lines = [
        "# Han bigrams of clean news copy and the number of articles using each (at least",
        f"# {MIN_DF}). Built by scripts/build_news_bigrams.py; do not edit by hand.",
        "# Columns: bigram, articles using it (df), occurrences, occurrences opening a sentence.",
        f"documents\t{len(files)}",
    ]
    lines += [f"{b}\t{df[b]}\t{count[b]}\t{starts[b]}" for b in kept]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} bigrams from {len(files)} articles to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/news")
