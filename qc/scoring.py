"""Findings to a 0-100 cleanliness score and a clean / warn / fail status.

The score is the share of the file's text that no finding covers, each flagged character
weighted by its finding's severity (a character under several findings counts once, at the
heaviest). The status is the worse of what the score says (config thresholds) and what the
worst finding says: an error fails a file, a warning warns, info only lowers the score.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import attrgetter

from qc.config import ScoreConfig
from qc.model import Document, Finding, Status

_RANK: dict[Status, int] = {"clean": 0, "warn": 1, "fail": 2, "error": 3}


def _weights(config: ScoreConfig) -> dict[str, float]:
    return {
        "error": config.error_weight,
        "warning": config.warning_weight,
        "info": config.info_weight,
    }


_LINE = attrgetter("line")


def score(doc: Document, findings: Sequence[Finding], config: ScoreConfig) -> float:
    if not findings:  # most files: nothing is lost, whatever their length
        return 100.0
    total = doc.chars
    if total == 0:
        return 100.0
    weights, paragraphs = _weights(config), doc.paragraphs
    heaviest: dict[int, float] = {}  # paragraph index -> its heaviest finding's weight
    for finding in findings:
        weight = weights[finding.severity]
        # Paragraphs come in line order: those a finding covers are one run of them.
        first = bisect_left(paragraphs, finding.line, key=_LINE)
        last = bisect_right(paragraphs, finding.end_line, key=_LINE)
        for index in range(first, last):
            heaviest[index] = max(heaviest.get(index, 0.0), weight)
    lost = 0.0
    for index in sorted(heaviest):  # in document order, as a sum over every paragraph would be
        lost += heaviest[index] * len(paragraphs[index].text)
    return round(100.0 * (1.0 - lost / total), 1)


def status(value: float, findings: Sequence[Finding], config: ScoreConfig) -> Status:
    by_score: Status = "clean"
    if value < config.fail_below:
        by_score = "fail"
    elif value < config.warn_below:
        by_score = "warn"
    if not findings:  # most files
        return by_score
    by_severity: Status = "clean"
    if any(f.severity == "error" for f in findings):
        by_severity = "fail"
    elif any(f.severity == "warning" for f in findings):
        by_severity = "warn"
    return max(by_score, by_severity, key=_RANK.__getitem__)


def worse_or_equal(actual: Status, level: Status) -> bool:
    return _RANK[actual] >= _RANK[level]
