"""Keeping long-lived results out of the garbage collector's way.

A run keeps every file's report to its end, and every full collection walks all of them:
at 100,000 files that made checking and rendering grow faster than their input. Reports and
the structures rendered from them hold no reference cycles, so they can be frozen
(`gc.freeze`): refcounting still frees them, and collections skip them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def frozen_as_it_grows() -> Iterator[Callable[[], None]]:
    """Freeze what exists now, and again whenever the yielded function is called (after each
    batch, say); unfreeze it all when the block ends. A caller's own frozen objects (or a
    disabled collector) are left alone: then nothing is frozen."""
    if gc.get_freeze_count() > 0 or not gc.isenabled():
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
