"""qc's benchmark: throughput, stages, memory, scaling, and plain datasketch side by side.

    python bench/run.py                  # 1k and 10k articles, 5 rounds each (medians)
    python bench/run.py --sizes 1000     # one size
    python bench/run.py --sizes 10000 100000 --runs 1 --growth  # growth (~1.7 GB of disk)

The batch is deterministic: articles of ~15 KB (long-form copy), each the paragraphs of a
randomly chosen article of `../shared/corpus/news` (or, without it, `seeds/`) and of the ones
after it, in order, so that its copy keeps to its topics as real copy does (`--mixed`: drawn
paragraph by paragraph, as before 2026-11-23); three in ten get a repeated block, a pasted
Weibo-style insert or a broken paragraph, so every detector has work and most articles are
clean, as in a real day's copy.
Every measurement of one size is made in the same run, each in a fresh process (so peak RSS is
that configuration's own): the floor (read + decode + width fold + split into paragraphs), qc
with one process and with two, and, on a sample of the same paragraphs, MinHash signatures the
datasketch ways (`update()` per shingle, `MinHash.bulk`) and qc's way. Figures are medians.
Each round runs the floor, qc on one core, the floor again and qc on two back to back; qc on
one core is compared with the mean of the two floors around it, and the ratios are medians of
each round's own ratios (with their range): on a shared machine whose speed drifts over tens
of seconds, a ratio of two medians taken minutes apart measures the drift as much as qc.
Needs the test extra (`pip install -e ".[test]"`), which brings datasketch for the comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "news"
ARTICLE_BYTES = 15_000
INSERT = [
    "#周末去哪儿# 天气这么好不出去玩太可惜了[太开心] @旅行小分队",
    "姐妹们冲鸭",
    "发布 👍 0 举报 写留言",
]


def _articles() -> list[list[str]]:
    """Each source article's body paragraphs, in file order: the corpus's when present, else
    the seeds' (which are dirty)."""
    sources = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    sources = sources or sorted((ROOT / "seeds").glob("*.txt"))
    out = []
    for path in sources:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()[1:]]
        out.append([line for line in lines if len(line) >= 10])
    return [paragraphs for paragraphs in out if paragraphs]


def _coherent(articles: list[list[str]], rng: random.Random) -> list[str]:
    """~ARTICLE_BYTES of copy: the paragraphs of a random article and of the articles after
    it, in order (one source, one day): copy that keeps to its topics, as long-form does."""
    article, at = rng.randrange(len(articles)), 0
    body: list[str] = []
    size = 0
    while size < ARTICLE_BYTES:
        if at == len(articles[article]):
            article, at = (article + 1) % len(articles), 0
        body.append(articles[article][at])
        size += len(body[-1].encode("utf-8")) + 2
        at += 1
    return body


def _mixed(pool: list[str], rng: random.Random) -> list[str]:
    """~ARTICLE_BYTES of paragraphs drawn at random from all articles, so that no article
    coheres: the batch of the rounds before 2026-11-23 (`--mixed`), on which the repeat
    stage has half the work it has on real copy."""
    body: list[str] = []
    size = 0
    while size < ARTICLE_BYTES:
        paragraph = rng.choice(pool)
        body.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return body


def build_batch(folder: Path, articles: int, seed: int = 7, mixed: bool = False) -> int:
    """Write `articles` files of ~15 KB into `folder`; return the total bytes."""
    rng = random.Random(seed)
    sources = _articles()
    pool = [paragraph for paragraphs in sources for paragraph in paragraphs]
    total = 0
    for number in range(articles):
        body = _mixed(pool, rng) if mixed else _coherent(sources, rng)
        kind = number % 10
        if kind == 1 and len(body) > 6:  # a block pasted twice
            start = rng.randrange(len(body) - 4)
            body[len(body) // 2 : len(body) // 2] = body[start : start + 3]
        elif kind == 2:
            body += INSERT
        elif kind == 3 and len(body[1]) > 40:  # a paragraph broken mid-sentence
            cut = len(body[1]) // 2
            body[1:2] = [body[1][:cut], body[1][cut:]]
        text = f"第{number}号稿件\n\n" + "\n\n".join(body) + "\n"
        data = text.encode("utf-8")
        (folder / f"{number:06d}.txt").write_bytes(data)
        total += len(data)
    return total


# ---- measurements, each run in a fresh process ---------------------------------------------


def measure_floor(folder: str) -> dict[str, float]:
    from qc.text import fold_width, split_lines

    start = time.perf_counter()
    count = 0
    for path in sorted(Path(folder).iterdir()):
        text = fold_width(path.read_bytes().decode("utf-8"))
        count += sum(1 for line in split_lines(text) if line.strip())
    return {"seconds": time.perf_counter() - start, "paragraphs": count}


def measure_qc(folder: str, jobs: int) -> dict[str, float]:
    from qc.api import check_sources, check_text, collect
    from qc.config import Config
    from qc.render import write_report
    from qc.timing import StageTimer

    config = Config()
    # One-time start-up (the character and vocabulary tables) is measured on its own, as the
    # floor's interpreter start-up is not counted either.
    start = time.perf_counter()
    check_text("第一段，一句话。\n第一段，一句话。\n#话题# 超话", config=config)
    startup = time.perf_counter() - start
    timer = StageTimer()
    start = time.perf_counter()
    report = check_sources(collect([folder], config), config=config, jobs=jobs, timer=timer)
    with timer.stage("render"), Path(os.devnull).open("w", encoding="utf-8") as sink:
        write_report(report, "json", sink)  # as `qc check --format json` writes it out
    out: dict[str, float] = {"seconds": time.perf_counter() - start, "startup": startup}
    out.update({f"stage:{k}": v for k, v in timer.seconds.items()})
    out["findings"] = sum(len(f.findings) for f in report.files)
    return out


def _sample_keys(folder: str, limit_bytes: int) -> list[str]:
    from qc.text import build_document

    keys: list[str] = []
    size = 0
    for path in sorted(Path(folder).iterdir()):
        for paragraph in build_document(path.read_text(encoding="utf-8")).paragraphs:
            keys.append(paragraph.key)
            size += len(paragraph.key.encode("utf-8"))
        if size >= limit_bytes:
            break
    return keys


def measure_minhash(folder: str, way: str, limit_bytes: int) -> dict[str, float]:
    """MinHash signatures of the same paragraphs: 3-gram shingles, as many permutations as
    qc's default config uses."""
    import numpy as np
    from datasketch import MinHash

    from qc.config import Config
    from qc.similarity import Signer, shingle_hashes

    perms = Config().repeat.num_perm
    keys = _sample_keys(folder, limit_bytes)
    size = sum(len(k.encode("utf-8")) for k in keys)
    start = time.perf_counter()
    if way == "datasketch-update":
        for key in keys:
            minhash = MinHash(num_perm=perms)
            for i in range(max(len(key) - 2, 1)):
                minhash.update(key[i : i + 3].encode("utf-8"))
    elif way == "datasketch-bulk":
        MinHash.bulk(
            [[key[i : i + 3].encode("utf-8") for i in range(max(len(key) - 2, 1))] for key in keys],
            num_perm=perms,
        )
    else:
        signatures = Signer(perms, 3).signatures(keys)
        assert signatures.shape == (len(keys), perms)
        assert shingle_hashes(keys[0], 3).dtype == np.uint32
    return {"seconds": time.perf_counter() - start, "bytes": size}


def peak_rss_mb() -> float:
    """Peak resident memory of this process, or of its largest worker process."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024  # Linux reports KiB


def _child(kind: str, folder: str, extra: str) -> dict[str, float]:
    """Run one measurement in a fresh interpreter, with its peak RSS."""
    code = (
        "import json, sys; sys.path.insert(0, 'bench'); import run; "
        f"out = run.{kind}({folder!r}, {extra}); out['rss_mb'] = run.peak_rss_mb(); "
        "print(json.dumps(out))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs if key in run)


def _bracketing(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """The floor measured just before and just after a qc run, as one: its speed drifts
    with the machine's over seconds, and a floor taken on one side only can catch a fast or
    slow spell that the longer qc run averages out."""
    return {"seconds": (before["seconds"] + after["seconds"]) / 2}


def _ratios(
    numerators: list[dict[str, float]], denominators: list[dict[str, float]]
) -> dict[str, float]:
    """Median, lowest and highest of the per-round ratios of two measurements' seconds."""
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(numerators, denominators, strict=True)]
    return {"median": statistics.median(ratios), "low": min(ratios), "high": max(ratios)}


def _spread(ratio: dict[str, float], digits: int) -> str:
    if ratio["low"] == ratio["high"]:
        return f"{ratio['median']:.{digits}f}×"
    return f"{ratio['median']:.{digits}f}× ({ratio['low']:.{digits}f}–{ratio['high']:.{digits}f})"


def bench_size(articles: int, runs: int, sample_mb: float, mixed: bool) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix=f"qc-bench-{articles}-"))
    try:
        total = build_batch(folder, articles, mixed=mixed)
        if hasattr(os, "sync"):  # write the batch out now, not during the measurements
            os.sync()
        mb = total / 1e6
        floor, one, two = [], [], []
        for _ in range(runs):  # in rounds, so each round's ratios share the machine's mood
            before = _child("measure_floor", str(folder), "")
            one.append(_child("measure_qc", str(folder), "1"))
            floor.append(_bracketing(before, _child("measure_floor", str(folder), "")))
            two.append(_child("measure_qc", str(folder), "2"))
        limit = int(sample_mb * 1e6)
        hashing = {
            way: [_child("measure_minhash", str(folder), f"{way!r}, {limit}") for _ in range(runs)]
            for way in ("datasketch-update", "datasketch-bulk", "qc")
        }
        return {
            "articles": articles,
            "mb": mb,
            "floor_s": _median(floor, "seconds"),
            "qc1_s": _median(one, "seconds"),
            "qc2_s": _median(two, "seconds"),
            "vs_floor": _ratios(one, floor),  # qc's time over the floor's, round by round
            "two_cores": _ratios(one, two),  # one core's time over two cores'
            "stages": {
                key.split(":", 1)[1]: _median(one, key)
                for key in one[0]
                if key.startswith("stage:")
            },
            "startup_s": _median(one, "startup"),
            "rss_one_mb": _median(one, "rss_mb"),
            "rss_two_mb": _median(two, "rss_mb"),
            "hashing": {
                way: _median(r, "bytes") / 1e6 / _median(r, "seconds") for way, r in hashing.items()
            },
            "findings": _median(one, "findings"),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_growth(small: int, large: int, runs: int, mixed: bool) -> dict[str, float]:
    """time(large) / time(small) on one core, each large run between two small ones and
    compared with their mean: the two sizes' rows of the table come from runs minutes
    apart, and on this machine their ratio moved from 10.2 to 12.4 with no change to qc
    (every stage grew alike)."""
    folders = [Path(tempfile.mkdtemp(prefix=f"qc-growth-{n}-")) for n in (small, large)]
    try:
        for folder, articles in zip(folders, (small, large), strict=True):
            build_batch(folder, articles, mixed=mixed)
        if hasattr(os, "sync"):
            os.sync()
        small_folder, large_folder = map(str, folders)
        before = _child("measure_qc", small_folder, "1")
        larges, smalls = [], []
        for _ in range(runs):
            larges.append(_child("measure_qc", large_folder, "1"))
            after = _child("measure_qc", small_folder, "1")
            smalls.append(_bracketing(before, after))
            before = after
        return {"small": small, "large": large, **_ratios(larges, smalls)}
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def report(results: list[dict[str, object]], growth: dict[str, float] | None = None) -> str:
    lines = [
        "| articles | MB | floor MB/s | qc 1 core MB/s | articles/s | qc ÷ floor | "
        "2 cores MB/s | 2 ÷ 1 core | peak RSS 1 / 2 cores |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        mb, floor, one, two = r["mb"], r["floor_s"], r["qc1_s"], r["qc2_s"]
        vs_floor, two_cores = r["vs_floor"], r["two_cores"]
        assert isinstance(mb, float) and isinstance(floor, float)
        assert isinstance(one, float) and isinstance(two, float)
        assert isinstance(vs_floor, dict) and isinstance(two_cores, dict)
        lines.append(
            f"| {r['articles']} | {mb:.0f} | {mb / floor:.0f} | {mb / one:.1f} | "
            f"{r['articles'] / one:.0f} | {_spread(vs_floor, 1)} slower | {mb / two:.1f} | "
            f"{_spread(two_cores, 2)} | {r['rss_one_mb']:.0f} / {r['rss_two_mb']:.0f} MB |"
        )
    lines.append(
        "\n(MB/s: medians of the rounds. Ratios: the median of each round's own ratio, its "
        "range in brackets; a round runs the floor, one core, the floor again and two cores back "
        "to back, and one core is compared with the mean of the floors on either side of it.)"
    )
    for r in results:
        stages = r["stages"]
        assert isinstance(stages, dict)
        total = sum(stages.values())
        lines.append(f"\nStages, {r['articles']} articles, one core (share of qc's time):")
        lines.append(f"- (start-up, once per process, not counted: {r['startup_s']:.2f} s)")
        lines += [
            f"- {name}: {sec:.2f} s ({100 * sec / total:.0f}%)" for name, sec in stages.items()
        ]
        hashing = r["hashing"]
        assert isinstance(hashing, dict)
        qc_rate = r["mb"] / r["qc1_s"]  # type: ignore[operator]
        lines.append("\nMinHash signatures of the same paragraphs (MB/s of paragraph text):")
        lines += [f"- {way}: {rate:.2f}" for way, rate in hashing.items()]
        bulk = hashing["datasketch-bulk"]
        lines.append(
            f"- qc's signatures vs MinHash.bulk: {hashing['qc'] / bulk:.0f}×; "
            f"whole qc check (all detectors) vs MinHash.bulk alone: {qc_rate / bulk:.1f}×"
        )
    if growth is not None:
        lines.append(
            f"\nGrowth, bracketed: time({growth['large']:.0f}) / time({growth['small']:.0f}) = "
            f"{_spread(growth, 1)} for {growth['large'] / growth['small']:.0f}× the articles "
            "(each larger run against the mean of the smaller runs either side of it)"
        )
    elif len(results) >= 2:
        small, large = results[-2], results[-1]
        ratio = large["qc1_s"] / small["qc1_s"]  # type: ignore[operator]
        size_ratio = large["articles"] / small["articles"]  # type: ignore[operator]
        lines.append(
            f"\nGrowth: time({large['articles']}) / time({small['articles']}) = {ratio:.1f} "
            f"for {size_ratio:.0f}× the articles"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="rounds per size (medians): the shared machine's ratios swing by ~10%% a round",
    )
    parser.add_argument(
        "--sample-mb",
        type=float,
        default=1.0,
        help="paragraph text hashed the datasketch ways (update() is slow)",
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="also time the last two sizes alternately (one core), for a growth ratio that "
        "the machine's drift between the two sizes' rows does not move",
    )
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="articles of paragraphs drawn at random, as in the rounds before 2026-11-23 "
        "(no article coheres; the repeat stage has half the work)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        print(f"benchmarking {size} articles ...", file=sys.stderr, flush=True)
        results.append(bench_size(size, args.runs, args.sample_mb, args.mixed))
    growth = None
    if args.growth and len(args.sizes) >= 2:
        small, large = args.sizes[-2:]
        print(f"growth: {small} and {large} articles, alternately ...", file=sys.stderr)
        growth = bench_growth(small, large, args.runs, args.mixed)
    batch = "paragraphs drawn at random (--mixed)" if args.mixed else "consecutive articles"
    source = CORPUS if CORPUS.is_dir() else "seeds/ (no corpus beside this checkout: dirty copy)"
    print(f"Batch: {batch}, from {source}.\n")
    print(report(results, growth))
    if args.json:
        raw = {"sizes": results, "growth": growth} if growth else results
        args.json.write_text(json.dumps(raw, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
