"""The collector policy around batches and reports (qc.heap)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from qc.api import check_batch
from qc.config import Config
from qc.heap import collected_once, frozen_as_it_grows
from qc.inputs import Source


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _garbage_cycle() -> weakref.ref[_Node]:
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_collected_once_pauses_the_collector_and_collects_cycles_at_the_end() -> None:
    with collected_once():
        assert not gc.isenabled()
        cycle = _garbage_cycle()
        assert cycle() is not None  # refcounting alone cannot free a cycle
    assert gc.isenabled()
    assert cycle() is None


@pytest.mark.usefixtures("collector_on")
def test_collected_once_turns_the_collector_back_on_after_an_error() -> None:
    with pytest.raises(RuntimeError), collected_once():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_collected_once_leaves_a_disabled_collector_alone() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with collected_once():
            cycle = _garbage_cycle()
        assert not gc.isenabled()
        assert cycle() is not None  # nothing collected behind the caller's back
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_frozen_as_it_grows_freezes_per_call_and_unfreezes_at_the_end() -> None:
    assert gc.get_freeze_count() == 0
    with frozen_as_it_grows() as batch_done:
        frozen = gc.get_freeze_count()
        kept = [[index] for index in range(1000)]
        batch_done()
        assert gc.get_freeze_count() >= frozen + len(kept)
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector_on")
def test_frozen_as_it_grows_leaves_a_callers_frozen_objects_alone() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with frozen_as_it_grows() as batch_done:
            batch_done()
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("collector_on")
def test_a_batch_check_leaves_the_collector_on(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    line = "市政府今天召开新闻发布会，介绍了今年上半年全市经济运行的总体情况和下一步的工作安排。"
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    reports = check_batch([Source(str(path))], Config())
    assert [finding.category for finding in reports[0].findings] == ["repeat"]
    assert gc.isenabled()
