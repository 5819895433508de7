"""Detectors: pure functions from a Document (and config) to findings, one module a category."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qc.config import Config
from qc.detectors import boilerplate, inserts, layout, repeats
from qc.model import Document, Finding

Detector = Callable[[Document, Config], Iterable[Finding]]


def _repeats(doc: Document, config: Config) -> Iterable[Finding]:
    return repeats.detect(doc, config.repeat)


def _inserts(doc: Document, config: Config) -> Iterable[Finding]:
    return inserts.detect(doc, config.insert)


def _boilerplate(doc: Document, config: Config) -> Iterable[Finding]:
    return boilerplate.detect(doc, config.boilerplate)


def _layout(doc: Document, config: Config) -> Iterable[Finding]:
    return layout.detect(doc, config.layout)


DETECTORS: dict[str, Detector] = {
    "repeat": _repeats,
    "insert": _inserts,
    "boilerplate": _boilerplate,
    "layout": _layout,
}
