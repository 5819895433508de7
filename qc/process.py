"""Settings for a process that runs the `qc` command, made before numpy is imported.

qc makes no BLAS call (its sums are written out, see `qc.vocabulary.dot`), yet numpy's
OpenBLAS starts a thread per core on import, and they spin: ~0.1 s of CPU per process, on the
core a second worker would use, and ~40 ms of a `qc check` of five files. One BLAS thread
means none is started. Only the command does this: a program that imports qc as a library
keeps its own BLAS settings.
"""

from __future__ import annotations

import os
import sys


def settle_before_numpy() -> None:
    """Ask for a single BLAS thread, unless numpy is loaded already or the user chose."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


settle_before_numpy()
