"""The package's public names, loaded on first use, and the command's process settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import qc


def _run(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_every_public_name_resolves() -> None:
    for name in qc.__all__:
        assert getattr(qc, name) is not None
    assert {"check_text", "Config", "Finding"} <= set(dir(qc))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = qc.nothing_here  # type: ignore[attr-defined]


def test_importing_the_package_loads_no_numpy() -> None:
    code = "import sys, qc; print('numpy' in sys.modules); qc.check_text; print('numpy' in sys.modules)"
    assert _run(code).split() == ["False", "True"]


def test_the_command_asks_for_one_blas_thread_and_a_library_user_is_left_alone() -> None:
    probe = "import json, os; print(json.dumps(os.environ.get('OPENBLAS_NUM_THREADS')))"
    assert json.loads(_run(f"import qc.cli; {probe}")) == "1"
    assert json.loads(_run(f"import qc.cli; {probe}", OPENBLAS_NUM_THREADS="2")) == "2"
    assert json.loads(_run(f"import numpy, qc.cli; {probe}")) is None  # too late to matter
    assert json.loads(_run(f"import qc, qc.api; {probe}")) is None


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_the_command_starts_no_blas_threads() -> None:
    count = "import os; print(len(os.listdir('/proc/self/task')))"
    assert _run(f"import qc.cli; {count}") == "1"
