"""Findings to a 0-100 cleanliness score and a clean / warn / fail status.

The score is the share of the file's text that no finding covers, each flagged character
weighted by its finding's severity (a character under several findings counts once, at the
heaviest). The status is the worse of what the score says (config thresholds) and what the
worst finding says: an error fails a file, a warning warns, info only lowers the score.
"""

from __future__ import annotations

from collections.abc import Sequence

from qc.config import ScoreConfig
from qc.model import Document, Finding, Status

_RANK: dict[Status, int] = {"clean": 0, "warn": 1, "fail": 2, "error": 3}


def _weight(finding: Finding, config: ScoreConfig) -> float:
    return {
        "error": config.error_weight,
        "warning": config.warning_weight,
        "info": config.info_weight,
    }[finding.severity]


def score(doc: Document, findings: Sequence[Finding], config: ScoreConfig) -> float:
    if not findings:  # most files: nothing is lost, whatever their length
        return 100.0
    total = doc.chars
    if total == 0:
        return 100.0
    heaviest: dict[int, float] = {}
    for finding in findings:
        weight = _weight(finding, config)
        for number in range(finding.line, finding.end_line + 1):
            heaviest[number] = max(heaviest.get(number, 0.0), weight)
    lost = 0.0
    for paragraph in doc.paragraphs:
        lost += heaviest.get(paragraph.line, 0.0) * len(paragraph.text)
    return round(100.0 * (1.0 - lost / total), 1)


def status(value: float, findings: Sequence[Finding], config: ScoreConfig) -> Status:
    by_score: Status = "clean"
    if value < config.fail_below:
        by_score = "fail"
    elif value < config.warn_below:
        by_score = "warn"
    by_severity: Status = "clean"
    if any(f.severity == "error" for f in findings):
        by_severity = "fail"
    elif any(f.severity == "warning" for f in findings):
        by_severity = "warn"
    return max(by_score, by_severity, key=_RANK.__getitem__)


def worse_or_equal(actual: Status, level: Status) -> bool:
    return _RANK[actual] >= _RANK[level]
