"""Only the C extension lives here; everything else is in pyproject.toml.

`qc._native` holds qc's per-character passes in C. It is optional: where it cannot be built
(no compiler), qc runs the same passes in numpy, with the same results (tests/test_native.py).
"""

import sys

from setuptools import Extension, setup

# The C sums must round as numpy's do: no fused multiply-add, even where CFLAGS allow one.
FLAGS = [] if sys.platform == "win32" else ["-ffp-contract=off"]

setup(
    ext_modules=[
        Extension("qc._native", ["qc/_native.c"], extra_compile_args=FLAGS, optional=True),
    ]
)
