"""Build qc/data/common_chars.txt: the most frequent characters of clean Chinese news.

The decoder uses it to choose between GB18030 and Big5 when a file is not UTF-8: the right
decoding yields mostly common characters, the wrong one a scatter of rare ones.

    python scripts/build_common_chars.py ../shared/corpus/news
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

TOP = 2500


def main(folder: str) -> None:
    counts: Counter[str] = Counter()
    for path in sorted(Path(folder).glob("*.txt")):
        counts.update(ch for ch in path.read_text(encoding="utf-8") if "\u4e00" <= ch <= "\u9fff")
    top = [ch for ch, _ in counts.most_common(TOP)]
    out = Path(__file__).resolve().parent.parent / "qc" / "data" / "common_chars.txt"
    lines = [
        "# The most frequent Han characters in clean news copy, most frequent first,",
        "# separated by spaces. Built by scripts/build_common_chars.py; do not edit by hand.",
    ]
    lines += [" ".join(top[i : i + 40]) for i in range(0, len(top), 40)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(top)} characters to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/news")
