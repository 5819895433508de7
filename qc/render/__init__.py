"""Report formats. Each renderer turns a RunReport into text, in pieces, and never prints:
`render` joins the pieces, `write_report` hands them to a stream as they come, so a long
run's report is never held whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from qc.heap import frozen_as_it_grows
from qc.model import RunReport
from qc.render import json_format, text_format

Renderer = Callable[[RunReport, bool], Iterable[str]]

RENDERERS: dict[str, Renderer] = {
    "text": text_format.chunks,
    "json": json_format.chunks,
}


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


def render(report: RunReport, fmt: str, *, color: bool = False) -> str:
    with frozen_as_it_grows():  # the report is done: collections need not walk it
        return "".join(RENDERERS[fmt](report, color))


def write_report(report: RunReport, fmt: str, sink: TextSink, *, color: bool = False) -> None:
    """Write the report to `sink` (a text stream) a piece at a time: the same text as
    `render`, without ever holding all of it."""
    with frozen_as_it_grows():
        for piece in RENDERERS[fmt](report, color):
            sink.write(piece)
