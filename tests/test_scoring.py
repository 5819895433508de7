"""The cleanliness score and status: the definition in qc/scoring.py's docstring."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from qc.config import ScoreConfig
from qc.model import Finding
from qc.rules import finding
from qc.scoring import score, status
from qc.text import build_document

CONFIG = ScoreConfig()
WEIGHTS = {
    "error": CONFIG.error_weight,
    "warning": CONFIG.warning_weight,
    "info": CONFIG.info_weight,
}


def _finding(line: int, end_line: int, severity: str) -> Finding:
    made = finding("QC102", line=line, end_line=end_line, message="m")
    return dataclasses.replace(made, severity=severity)


def _by_definition(lines: list[str], findings: list[Finding]) -> float:
    """Every character of every line weighted by the heaviest finding over its line (0 if
    none), summed line by line in order."""
    doc = build_document("\n".join(lines), "<test>")
    lost = 0.0
    for paragraph in doc.paragraphs:
        over = [WEIGHTS[f.severity] for f in findings if f.line <= paragraph.line <= f.end_line]
        lost += max(over, default=0.0) * len(paragraph.text)
    return round(100.0 * (1.0 - lost / doc.chars), 1) if findings and doc.chars else 100.0


def test_a_warning_over_one_of_three_lines_loses_half_its_share():
    doc = build_document("甲乙丙丁\n\n戊己\n庚辛壬癸", "<test>")
    assert score(doc, [_finding(3, 3, "warning")], CONFIG) == round(100 * (1 - 1 / 10), 1)
    # A line under two findings counts once, at the heavier; blank lines weigh nothing.
    both = [_finding(1, 3, "warning"), _finding(3, 4, "error")]
    assert score(doc, both, CONFIG) == round(100 * (1 - (0.5 * 4 + 2 + 4) / 10), 1)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["", " ", "甲", "乙丙", "丁戊己庚辛"]), min_size=1, max_size=12),
    st.lists(
        st.tuples(st.integers(1, 14), st.integers(0, 4), st.sampled_from(list(WEIGHTS))),
        max_size=6,
    ),
)
def test_score_is_the_weighted_share_of_text_no_finding_covers(lines, spans):
    doc = build_document("\n".join(lines), "<test>")
    findings = [_finding(line, line + length, severity) for line, length, severity in spans]
    assert score(doc, findings, CONFIG) == _by_definition(lines, findings)


def test_status_is_the_worse_of_score_and_severity():
    assert status(100.0, [], CONFIG) == "clean"
    assert status(100.0, [_finding(1, 1, "info")], CONFIG) == "clean"
    assert status(99.0, [_finding(1, 1, "warning")], CONFIG) == "warn"
    assert status(90.0, [_finding(1, 1, "info")], CONFIG) == "warn"
    assert status(99.0, [_finding(1, 1, "error")], CONFIG) == "fail"
    assert status(50.0, [_finding(1, 1, "warning")], CONFIG) == "fail"
