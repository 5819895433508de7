"""Check that a change (a speed-up, say) leaves qc's findings exactly as they were.

    python scripts/same_findings.py build /tmp/qc-golden     # ~17,000 files, ~110 MB
    git stash; qc check /tmp/qc-golden --format json -o /tmp/before.json; git stash pop
    qc check /tmp/qc-golden --format json -o /tmp/after.json
    python scripts/same_findings.py compare /tmp/before.json /tmp/after.json

The files: the clean corpus articles, every injected-defect case of tests/defects.py with two
seeds, the seeds, and the benchmark's 1,000-article batches (whole articles, and --mixed).
Needs ../shared/corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import defects  # noqa: E402


def build(folder: Path) -> None:
    import run  # bench/run.py

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    articles = defects.load_articles(defects.CORPUS_NEWS)
    generators: dict[str, defects.Generator] = {
        **defects.REPEAT_GENERATORS,
        "insert": defects.make_insert_generator(defects.weibo_material()),
        "boilerplate": defects.boilerplate,
        **defects.LAYOUT_GENERATORS,
    }
    for name, generator in generators.items():
        (folder / name).mkdir()
        for seed in (3, 11):
            for number, case in enumerate(defects.make_cases(articles, generator, seed=seed)):
                (folder / name / f"{seed}_{number:04d}.txt").write_text(case.text, "utf-8")
    shutil.copytree(defects.CORPUS_NEWS, folder / "news")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    for name, mixed in (("bench", False), ("bench-mixed", True)):
        (folder / name).mkdir()
        run.build_batch(folder / name, 1000, mixed=mixed)
    print(f"{sum(1 for p in folder.rglob('*.txt'))} files in {folder}")


def _files(path: Path) -> dict[str, Any]:
    """A report's files by path relative to the folder checked, with that folder left out of
    every path inside (findings point at their first copy), so two folders compare."""
    raw = path.read_text("utf-8")
    entries = json.loads(raw)["files"]
    root = os.path.commonpath([entry["path"] for entry in entries]) if entries else ""
    if root:
        raw = raw.replace(json.dumps(root)[1:-1], "<folder>")
    return {entry["path"]: entry for entry in json.loads(raw)["files"]}


def compare(before: Path, after: Path) -> int:
    old, new = _files(before), _files(after)
    if old.keys() != new.keys():
        print("the reports cover different files")
        return 1
    differing = [path for path in old if old[path] != new[path]]
    for path in differing[:10]:
        print(f"differs: {path}")
    print(f"{len(differing)} of {len(old)} files differ")
    return 1 if differing else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build").add_argument("folder", type=Path)
    compared = commands.add_parser("compare")
    compared.add_argument("before", type=Path)
    compared.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        if not defects.CORPUS_NEWS.is_dir():
            raise SystemExit(f"needs {defects.CORPUS_NEWS}")
        build(args.folder)
    else:
        raise SystemExit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
