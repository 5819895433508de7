"""Case files (tests/data/cases/<category>_<name>.txt): each states in its `#:` header the rules
of its category that qc must report on it, and no others."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, read_case

import qc


@pytest.mark.parametrize("case", sorted(CASES.glob("*_*.txt")), ids=lambda p: p.stem)
def test_case_files(case: Path, config):
    category = case.stem.split("_", 1)[0]
    expected, text = read_case(case)
    report = qc.check_text(text, path=case.name, config=config)
    assert {f.rule for f in report.findings if f.category == category} == expected
