"""Detectors, one module a category. Each has two halves:

- `prepare(docs, config)`: the work that is cheaper for a batch of documents at once (array
  passes over all their text, one regex scan instead of one per paragraph, tables built
  once); one value per document.
- `detect(doc, prepared, config)`: one document's findings, from it and its prepared value.

Both are pure: the same documents give the same findings, whatever the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from qc.config import Config
from qc.detectors import boilerplate, inserts, layout, repeats
from qc.model import Document, Finding


@dataclass(frozen=True)
class Detector:
    prepare: Callable[[Sequence[Document], Config], Sequence[Any]]
    detect: Callable[[Document, Any, Config], Iterable[Finding]]


DETECTORS: dict[str, Detector] = {
    "repeat": Detector(
        lambda docs, config: repeats.prepare(docs, config.repeat),
        lambda doc, matched, config: repeats.detect(doc, config.repeat, matched),
    ),
    "insert": Detector(
        lambda docs, config: inserts.prepare(docs, config.insert),
        lambda doc, counted, config: inserts.detect(doc, config.insert, counted),
    ),
    "boilerplate": Detector(
        lambda docs, config: boilerplate.prepare(docs, config.boilerplate),
        lambda doc, chrome, config: boilerplate.detect(doc, config.boilerplate, chrome),
    ),
    "layout": Detector(
        lambda docs, config: layout.prepare(docs, config.layout),
        lambda doc, worth_a_look, config: layout.detect(doc, config.layout, worth_a_look),
    ),
}
