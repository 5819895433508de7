"""qc's per-character passes in C (`qc/_native.c`), when they were built.

`native` is the compiled module, or None: where no compiler was at hand at install, or with
QC_PURE=1 in the environment, every caller runs the numpy twin of the same pass instead. The
two give the same results (tests/test_native.py), so findings never depend on which ran.
"""

from __future__ import annotations

import os

# Typed as the module (qc/_native.pyi) so calls are checked; callers test for None first.
try:
    from qc import _native as native
except ImportError:
    native = None  # type: ignore[assignment]
if os.environ.get("QC_PURE") == "1":
    native = None  # type: ignore[assignment]

__all__ = ["native"]
