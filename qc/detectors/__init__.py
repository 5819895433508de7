"""Detectors: pure functions from a Document (and config) to findings, one module a category."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qc.config import Config
from qc.detectors import repeats
from qc.model import Document, Finding

Detector = Callable[[Document, Config], Iterable[Finding]]


def _repeats(doc: Document, config: Config) -> Iterable[Finding]:
    return repeats.detect(doc, config.repeat)


DETECTORS: dict[str, Detector] = {
    "repeat": _repeats,
}
