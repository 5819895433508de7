"""Pathological inputs stay near-linear: each case at half size and full size.

    python bench/pathological.py            # the sizes of the issue
    python bench/pathological.py --scale 0.1

Cases: 100,000 identical short lines; 50,000 near-identical paragraphs (one number differs);
one 10 MB line with no line break; one file of 10,000 corpus paragraphs, a tenth of them
copies. For each, the time of `qc.check_text` at N/2 and N (median of --runs) and their ratio:
about 2 means linear, 4 would mean quadratic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import qc

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "news"


def identical_lines(count: int) -> str:
    return "同一行短文字。\n" * count


def near_identical_paragraphs(count: int) -> str:
    base = (
        "今年全市新建改建农村公路{n}公里，完成危桥改造，"
        "农村客运通达率保持百分之百，群众出行更加便捷。"
    )
    return "\n\n".join(base.format(n=100 + i) for i in range(count)) + "\n"


def _sources() -> list[Path]:
    return (
        sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else sorted((ROOT / "seeds").glob("*.txt"))
    )


def paragraphs_with_copies(count: int) -> str:
    """One long file: distinct corpus paragraphs (cycled if there are too few), a tenth of
    them pasted again at random places."""
    pool = [
        line.strip()
        for path in _sources()
        for line in path.read_text(encoding="utf-8").splitlines()[1:]
        if len(line.strip()) >= 10
    ]
    distinct = list(dict.fromkeys(pool))
    rng = random.Random(5)
    body = [distinct[i % len(distinct)] for i in range(count - count // 10)]
    for _ in range(count // 10):
        body.insert(rng.randrange(len(body) + 1), rng.choice(body))
    return "\n".join(body) + "\n"


def one_long_line(megabytes: float) -> str:
    text = "".join(p.read_text(encoding="utf-8").replace("\n", "") for p in _sources())
    rng = random.Random(3)
    out: list[str] = []
    size = 0
    target = int(megabytes * 1e6)
    while size < target:
        start = rng.randrange(len(text) - 2000)
        piece = text[start : start + 2000]
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(out)


def _time(text: str, runs: int) -> float:
    config = qc.Config()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        qc.check_text(text, config=config)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases: list[tuple[str, Callable[[float], str], float]] = [
        ("identical short lines", lambda n: identical_lines(int(n)), 100_000),
        ("near-identical paragraphs", lambda n: near_identical_paragraphs(int(n)), 50_000),
        ("one line, MB", one_long_line, 10.0),
        (
            "paragraphs of one file, a tenth copies",
            lambda n: paragraphs_with_copies(int(n)),
            10_000,
        ),
    ]
    print("| case | N | time N/2 | time N | ratio (2 = linear) |")
    print("|---|---|---|---|---|")
    for name, build, full in cases:
        size = full * args.scale
        half, whole = _time(build(size / 2), args.runs), _time(build(size), args.runs)
        print(f"| {name} | {size:g} | {half:.2f} s | {whole:.2f} s | {whole / half:.2f} |")


if __name__ == "__main__":
    main()
