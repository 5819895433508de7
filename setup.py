"""Only the C extension lives here; everything else is in pyproject.toml.

`qc._native` holds qc's per-character passes in C. It is optional: where it cannot be built
(no compiler), qc runs the same passes in numpy, with the same results (tests/test_native.py).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("qc._native", ["qc/_native.c"], optional=True),
    ]
)
