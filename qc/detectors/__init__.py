"""Detectors, one module a category. Each has two halves:

- `prepare(docs, section)`: the work that is cheaper for a batch of documents at once (array
  passes over all their text, one regex scan instead of one per paragraph, tables built
  once); one value per document. `section` is the module's part of the config.
- `detect(doc, section, prepared)`: one document's findings, from it and its prepared value
  (computed from the document alone when not given).

Both are pure: the same documents give the same findings, whatever the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from qc.config import Config
from qc.detectors import boilerplate, inserts, layout, repeats
from qc.model import Document, Finding


class DetectorModule(Protocol):
    """What each detector module provides (mypy checks the modules against it)."""

    def prepare(self, docs: Sequence[Document], config: Any) -> Sequence[Any]: ...

    def detect(self, doc: Document, config: Any, prepared: Any = None) -> Iterable[Finding]: ...


@dataclass(frozen=True)
class Detector:
    """A detector module and the section of the config it reads."""

    module: DetectorModule
    section: Callable[[Config], Any]

    def prepare(self, docs: Sequence[Document], config: Config) -> Sequence[Any]:
        return self.module.prepare(docs, self.section(config))


DETECTORS: dict[str, Detector] = {
    "repeat": Detector(repeats, lambda config: config.repeat),
    "insert": Detector(inserts, lambda config: config.insert),
    "boilerplate": Detector(boilerplate, lambda config: config.boilerplate),
    "layout": Detector(layout, lambda config: config.layout),
}
