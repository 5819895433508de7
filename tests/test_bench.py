"""The benchmark's batch (bench/run.py): deterministic, ~15 KB articles, and coherent copy.

Its speed figures are the benchmark's business; these tests only keep it runnable on a fresh
clone (from `seeds/` when ../shared is missing) and keep its batch what its docstring says.
"""

from __future__ import annotations

import importlib.util
import sys
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qc_bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]


@pytest.mark.parametrize("mixed", [False, True])
def test_the_batch_is_deterministic_and_long_form(bench: ModuleType, tmp_path: Path, mixed: bool):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    total = bench.build_batch(first, 12, mixed=mixed)
    assert bench.build_batch(second, 12, mixed=mixed) == total
    texts = _files(first)
    assert texts == _files(second)
    assert len(texts) == 12
    sizes = [len(text.encode("utf-8")) for text in texts]
    assert sum(sizes) == total
    assert min(sizes) >= bench.ARTICLE_BYTES


def test_coherent_articles_keep_their_sources_order(bench: ModuleType, tmp_path: Path):
    """Without --mixed an article is source paragraphs in their order: each clean article's
    paragraphs (those of kinds without an injected defect) follow one another in the
    sources, running into the next source at its end."""
    bench.build_batch(tmp_path, 10)
    sources = bench._articles()
    places: dict[str, set[tuple[int, int]]] = {}  # a line may open several sources
    for article, paragraphs in enumerate(sources):
        for at, paragraph in enumerate(paragraphs):
            places.setdefault(paragraph, set()).add((article, at))

    def follows(first: str, then: str) -> bool:
        nexts = {(a, i + 1) for a, i in places[first]}
        nexts |= {((a + 1) % len(sources), 0) for a, i in places[first]}
        return bool(nexts & places[then])

    clean = [text for number, text in enumerate(_files(tmp_path)) if number % 10 >= 4]
    for text in clean:
        body = [line for line in text.splitlines()[1:] if line]
        assert all(follows(a, b) for a, b in pairwise(body))
