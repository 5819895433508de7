"""Shared fixtures: the seeds, case files, and shortcuts over reports."""

from __future__ import annotations

from pathlib import Path

import pytest

import qc
from qc.model import FileReport

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CASES = Path(__file__).resolve().parent / "data" / "cases"


def seed_path(number: str) -> Path:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path


def spans(report: FileReport, category: str) -> list[tuple[int, int]]:
    return [(f.line, f.end_line) for f in report.findings if f.category == category]


def flagged_lines(report: FileReport, category: str) -> set[int]:
    return {
        n for f in report.findings if f.category == category for n in range(f.line, f.end_line + 1)
    }


@pytest.fixture(scope="session")
def config() -> qc.Config:
    return qc.Config()


@pytest.fixture(scope="session")
def seed_reports(config: qc.Config) -> dict[str, FileReport]:
    run = qc.check_paths([str(SEEDS)], config=config)
    return {Path(r.path).name[:3]: r for r in run.files}


def read_case(path: Path) -> tuple[set[str], str]:
    """A case file: a `#: CODES` header line (or `#: none`), then the text qc sees."""
    header, _, text = path.read_text(encoding="utf-8").partition("\n")
    assert header.startswith("#:"), f"{path.name}: missing '#:' header"
    codes = set(header[2:].split()) - {"none"}
    return codes, text
